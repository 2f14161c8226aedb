package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.Json;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.McpToolClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * {@code lifeboat mcp call TOOL --args JSON}: one tool call through the SDK's client; prints the
 * structured result and exits with the code the CLI uses for the result's error code.
 */
@Command(
        name = "call",
        description = {
            "Call one MCP tool and print its structured result as JSON.",
            "The exit code is 0 for a success, else the exit code of the result's error code."
        })
public final class McpCallCommand extends McpClientCommand {
    @Parameters(index = "0", paramLabel = "TOOL", description = "The tool, e.g. list_backups.")
    String tool;

    @Option(
            names = "--args",
            paramLabel = "JSON",
            defaultValue = "{}",
            description = "The tool's arguments as a JSON object (default {}).")
    String args;

    @Override
    public Integer call() {
        Map<String, Object> arguments;
        try {
            // the core's mapper: no second mapper built when picocli instantiates this command at start-up
            arguments =
                    dev.lifeboat.core.base.Json.mapper().readValue(args, new TypeReference<Map<String, Object>>() {});
        } catch (JacksonException e) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--args is not a JSON object",
                    "e.g. --args '{\"backup_id\": \"app-20261122T071200Z-3f9a\"}'");
        }
        try (McpToolClient c = connect()) {
            McpSchema.CallToolResult result = c.call(tool, arguments == null ? Map.of() : arguments);
            spec.commandLine().getOut().println(Json.write(McpToolClient.printable(result)));
            return exitCode(McpToolClient.errorCode(result));
        }
    }

    static int exitCode(String errorCode) {
        if (errorCode == null) {
            return ExitCodes.OK;
        }
        try {
            return ExitCodes.of(ErrorCode.valueOf(errorCode));
        } catch (IllegalArgumentException e) {
            // MCP-only codes such as INSUFFICIENT_SCOPE: still a failure, never 0
            return ExitCodes.INTERNAL;
        }
    }
}
