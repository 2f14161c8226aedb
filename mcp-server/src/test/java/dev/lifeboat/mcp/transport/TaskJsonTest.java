package dev.lifeboat.mcp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TaskJsonTest {
    private static final JsonMapper PLAIN = JsonMapper.builder().build();

    private static JsonNode written(McpJsonMapper mapper, Object value) throws Exception {
        return PLAIN.readTree(mapper.writeValueAsString(value));
    }

    private static McpSchema.Tool tool(String name) {
        return McpSchema.Tool.builder()
                .name(name)
                .description("d")
                .inputSchema(McpJsonDefaults.getMapper(), "{\"type\":\"object\"}")
                .build();
    }

    @Test
    void theInitializeResultDeclaresTasksForToolCallsListingAndCancelling() throws Exception {
        McpSchema.InitializeResult init = new McpSchema.InitializeResult(
                "2025-11-25",
                McpSchema.ServerCapabilities.builder().tools(false).logging().build(),
                new McpSchema.Implementation("lifeboat", "1"),
                null);
        JsonNode caps = written(TaskJson.mapper(Set.of("create_backup")), init).path("capabilities");
        assertThat(caps.path("tasks")
                        .path("requests")
                        .path("tools")
                        .path("call")
                        .isObject())
                .isTrue();
        assertThat(caps.path("tasks").path("list").isObject()).isTrue();
        assertThat(caps.path("tasks").path("cancel").isObject()).isTrue();
        // the SDK's own fields are written as before
        assertThat(caps.path("tools").path("listChanged").asBoolean(true)).isFalse();
        assertThat(caps.has("logging")).isTrue();
    }

    @Test
    void onlyTheToolsThatCanRunAsTasksSayTheirTaskSupport() throws Exception {
        McpSchema.ListToolsResult list =
                new McpSchema.ListToolsResult(List.of(tool("create_backup"), tool("delete_backup")), null);
        JsonNode tools = written(TaskJson.mapper(Set.of("create_backup")), list).path("tools");
        assertThat(tools.get(0).path("execution").path("taskSupport").asString())
                .isEqualTo("optional");
        assertThat(tools.get(1).has("execution")).isFalse();
        assertThat(tools.get(1).path("name").asString()).isEqualTo("delete_backup");
    }

    @Test
    void withoutTaskToolsTheMapperIsTheSdksAndDeclaresNothing() throws Exception {
        McpJsonMapper mapper = TaskJson.mapper(Set.of());
        assertThat(mapper).isSameAs(McpJsonDefaults.getMapper());
        JsonNode caps = written(
                mapper, McpSchema.ServerCapabilities.builder().tools(false).build());
        assertThat(caps.has("tasks")).isFalse();
    }

    @Test
    void readingIsUnchanged() throws Exception {
        McpJsonMapper mapper = TaskJson.mapper(Set.of("create_backup"));
        McpSchema.CallToolRequest call = mapper.readValue(
                "{\"name\":\"create_backup\",\"arguments\":{\"database\":\"app\"}}", McpSchema.CallToolRequest.class);
        assertThat(call.arguments()).isEqualTo(Map.of("database", "app"));
    }
}
