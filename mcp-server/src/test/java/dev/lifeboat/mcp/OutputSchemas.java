package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a strict client checks in every tool result, with the SDK's own schema validator: the
 * TypeScript SDK's {@code Client.callTool} requires structuredContent in a success of a tool with an
 * output schema, and validates structuredContent against the output schema whenever it is present,
 * {@code isError} or not. Lifeboat's own contract adds that an error carries {@code error.code} and
 * {@code error.message}.
 */
final class OutputSchemas {
    static final JsonSchemaValidator VALIDATOR = McpJsonDefaults.getSchemaValidator();

    /** Each client's tools as its server listed them (a client does not override equals: by identity). */
    private static final Map<McpSyncClient, Map<String, McpSchema.Tool>> SERVED = new ConcurrentHashMap<>();

    private OutputSchemas() {}

    /** Asserts that {@code result} of calling {@code tool} through {@code client} conforms to what its server listed. */
    static void assertConforms(McpSyncClient client, String tool, McpSchema.CallToolResult result) {
        Map<String, McpSchema.Tool> tools = SERVED.computeIfAbsent(client, c -> {
            Map<String, McpSchema.Tool> byName = new LinkedHashMap<>();
            c.listTools().tools().forEach(t -> byName.put(t.name(), t));
            return byName;
        });
        assertConforms(tools.get(tool), result);
    }

    /** Why a strict client would reject {@code result} of {@code tool}, or null when it accepts it. */
    static String problem(Map<String, Object> outputSchema, boolean isError, Object structured) {
        if (outputSchema == null) {
            return null;
        }
        if (structured == null) {
            return isError ? null : "a success of a tool with an output schema has no structuredContent";
        }
        JsonSchemaValidator.ValidationResponse v = VALIDATOR.validate(outputSchema, structured);
        return v.valid() ? null : "structuredContent does not match the output schema: " + v.errorMessage();
    }

    static void assertConforms(McpSchema.Tool tool, McpSchema.CallToolResult result) {
        assertThat(tool).as("tool for " + result).isNotNull();
        boolean isError = Boolean.TRUE.equals(result.isError());
        assertThat(problem(tool.outputSchema(), isError, result.structuredContent()))
                .as(tool.name() + ": " + result)
                .isNull();
        if (isError) {
            assertThat(result.structuredContent())
                    .as(tool.name() + ": " + result)
                    .isInstanceOf(Map.class);
            Object error = ((Map<?, ?>) result.structuredContent()).get("error");
            assertThat(error).as(tool.name() + ": " + result).isInstanceOf(Map.class);
            assertThat(((Map<?, ?>) error).get("code")).isInstanceOf(String.class);
            assertThat(((Map<?, ?>) error).get("message")).isInstanceOf(String.class);
        }
    }
}
