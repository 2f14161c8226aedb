package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.LifeboatCommand;
import dev.lifeboat.cli.Logging;
import dev.lifeboat.mcp.McpServerRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lifeboat mcp serve}: the same server as {@code lifeboat-mcp}. */
@Command(
        name = "serve",
        description = {
            "Run the MCP server: over stdio (default; stdout carries only JSON-RPC) or over HTTP",
            "(Streamable HTTP at /mcp, legacy SSE at /sse), bound to 127.0.0.1 unless the config says otherwise."
        })
public final class McpServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Option(
            names = {"-t", "--transport"},
            paramLabel = "stdio|http",
            defaultValue = "stdio",
            description = "stdio (default) or http.")
    String transport;

    @Option(names = "--bind", paramLabel = "ADDR", description = "HTTP: address to listen on (overrides mcp.bind).")
    String bind;

    @Option(names = "--port", paramLabel = "N", description = "HTTP: port (overrides mcp.port; 0 picks one).")
    Integer port;

    @Option(
            names = "--read-only",
            description = "Offer only the tools that read (list, get, verify checksum/archive), whatever the"
                    + " config's mcp.read_only and mcp.tools say.")
    boolean readOnly;

    @Option(
            names = "--schedules",
            description = "HTTP: also run the configured schedules in the server, as 'lifeboat schedule run' does"
                    + " (stopping the server cancels a running backup cleanly and gives its slot back).")
    boolean schedules;

    @Override
    public Integer call() throws Exception {
        if (shared.verbose()) {
            Logging.verbose();
        }
        var env = ((LifeboatCommand) spec.root().userObject()).environment().variables();
        // stdout belongs to JSON-RPC in stdio mode; anything else that prints goes to stderr
        System.setOut(System.err);
        McpServerRunner.run(
                new McpServerRunner.Options(transport, shared.config(), bind, port, readOnly, schedules), env);
        return ExitCodes.OK;
    }
}
