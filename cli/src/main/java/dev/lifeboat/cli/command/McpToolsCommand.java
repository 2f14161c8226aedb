package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.Json;
import dev.lifeboat.mcp.McpToolClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code lifeboat mcp tools}: what a server offers, as JSON. */
@Command(name = "tools", description = "List an MCP server's tools with their schemas and annotations, as JSON.")
public final class McpToolsCommand extends McpClientCommand {
    @Override
    public Integer call() {
        try (McpToolClient c = connect()) {
            List<Map<String, Object>> tools = new ArrayList<>();
            for (McpSchema.Tool t : c.tools()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", t.name());
                m.put("title", t.title());
                m.put("description", t.description());
                m.put("annotations", t.annotations());
                m.put("inputSchema", t.inputSchema());
                m.put("outputSchema", t.outputSchema());
                tools.add(m);
            }
            spec.commandLine().getOut().println(Json.write(Map.of("tools", tools)));
        }
        return ExitCodes.OK;
    }
}
