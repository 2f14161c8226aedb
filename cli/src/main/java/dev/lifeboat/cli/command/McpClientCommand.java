package dev.lifeboat.cli.command;

import dev.lifeboat.cli.LifeboatCommand;
import dev.lifeboat.mcp.McpToolClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to an MCP server as a client ({@code mcp tools}, {@code mcp call}). */
abstract class McpClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Mixin
    McpClientOptions client;

    /** A client of the server the options name: {@code --url}, else a stdio server spawned with this configuration. */
    protected final McpToolClient connect() {
        var env = ((LifeboatCommand) spec.root().userObject()).environment().variables();
        return client.connect(shared.config(), env, spec.commandLine().getErr(), shared.verbose());
    }
}
