package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.tool.Arguments;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.ToolContext;
import dev.lifeboat.mcp.tool.ToolResult;
import dev.lifeboat.mcp.tool.Tools;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StdioTransportTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
            + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n";

    /** A tool of our own that takes a while, so replies are still owed when stdin closes. */
    static final class SlowTool implements LifeboatTool {
        @Override
        public McpSchema.Tool definition() {
            return McpSchema.Tool.builder()
                    .name("slow")
                    .description("sleeps")
                    .inputSchema(Map.of(
                            "type",
                            "object",
                            "properties",
                            Map.of("ms", Map.of("type", "integer")),
                            "additionalProperties",
                            false))
                    .build();
        }

        @Override
        public Scope scope() {
            return Scope.READ;
        }

        @Override
        public ToolResult call(Arguments arguments, ToolContext context) {
            int ms = arguments.integer("ms", 0, 0, 10_000);
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ToolResult(null, "slept " + ms);
        }
    }

    private static List<JsonNode> serve(List<LifeboatTool> tools, String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        McpServerRunner.serveStdio(
                tools, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, Duration.ofSeconds(30));
        List<JsonNode> replies = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                replies.add(JSON.readTree(line));
            }
        }
        return replies;
    }

    private static Map<String, JsonNode> byId(List<JsonNode> replies) {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode r : replies) {
            if (r.has("id")) {
                m.put(r.get("id").isNull() ? "null" : r.get("id").asString(), r);
            }
        }
        return m;
    }

    @Test
    void pipedSessionIsAnsweredInFullBeforeExit() throws Exception {
        StringBuilder in = new StringBuilder(INIT);
        for (int i = 1; i <= 5; i++) {
            in.append("{\"jsonrpc\":\"2.0\",\"id\":")
                    .append(i)
                    .append(",\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{\"ms\":")
                    .append(200 + i * 50)
                    .append("}}}\n");
        }
        Map<String, JsonNode> replies = byId(serve(List.of(new SlowTool()), in.toString()));
        assertThat(replies).containsKeys("0", "1", "2", "3", "4", "5");
        assertThat(replies.get("5").at("/result/content/0/text").asString()).isEqualTo("slept 450");
    }

    @Test
    void malformedLineGetsParseErrorAndServingContinues() throws Exception {
        String in =
                INIT + "{this is not json\n" + "[1,2\n" + "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}\n";
        List<JsonNode> replies = serve(List.of(new SlowTool()), in);
        List<JsonNode> parseErrors = replies.stream()
                .filter(r -> r.at("/error/code").asInt(0) == -32700)
                .toList();
        assertThat(parseErrors).hasSize(2);
        assertThat(parseErrors.get(0).get("id").isNull()).isTrue();
        assertThat(byId(replies).get("7").at("/result/tools/0/name").asString()).isEqualTo("slow");
    }

    @Test
    void toolsListAndToolsCallBeforeInitializeAreRefusedAndPingIsAnswered() throws Exception {
        String in = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{}}}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}\n"
                + INIT
                + "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}\n";
        Map<String, JsonNode> replies = byId(serve(List.of(new SlowTool()), in));
        assertThat(replies.get("1").at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(replies.get("1").at("/error/message").asString()).contains("not initialized");
        assertThat(replies.get("2").at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(replies.get("3").has("result")).isTrue();
        assertThat(replies.get("4").at("/result/tools/0/name").asString()).isEqualTo("slow");
    }

    @Test
    void aPingIsAnsweredBeforeInitializeAndBeforeTheInitializedNotification() throws Exception {
        String initializeOnly = INIT.substring(0, INIT.indexOf('\n') + 1);
        String in = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n"
                + initializeOnly
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n";
        // the SDK's session would hold both until a notifications/initialized that never comes
        Map<String, JsonNode> replies = byId(serve(List.of(new SlowTool()), in));
        assertThat(replies.get("1").path("result").isObject())
                .as(replies.toString())
                .isTrue();
        assertThat(replies.get("2").path("result").isObject())
                .as(replies.toString())
                .isTrue();
        assertThat(replies.get("0").at("/result/protocolVersion").isString()).isTrue();
    }

    @Test
    void validJsonThatIsNotJsonRpcGetsInvalidRequestWithItsId() throws Exception {
        String in = INIT + "{\"id\":9,\"hello\":true}\n" + "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"ping\"}\n";
        Map<String, JsonNode> replies = byId(serve(List.of(new SlowTool()), in));
        assertThat(replies.get("9").at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(replies.get("10").has("result")).isTrue();
    }

    @Test
    void unknownToolIsAJsonRpcErrorAndUnexpectedFailuresCarryNoStackTrace() throws Exception {
        String in = INIT
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\",\"arguments\":{}}}\n"
                // the tools hold no service here: the call fails inside, as a bug would
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"list_databases\",\"arguments\":{}}}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"unknown/method\"}\n";
        List<JsonNode> all = serve(Tools.all(null), in);
        Map<String, JsonNode> replies = byId(all);
        assertThat(replies.get("1").has("error")).isTrue();
        assertThat(replies.get("3").at("/error/code").asInt()).isEqualTo(-32601);
        JsonNode internal = replies.get("2").get("result");
        assertThat(internal.get("isError").asBoolean()).isTrue();
        assertThat(internal.at("/structuredContent/error/code").asString()).isEqualTo("INTERNAL");
        assertThat(internal.at("/content/0/text").asString()).startsWith("INTERNAL: ");
        assertThat(all.toString()).doesNotContain("at dev.lifeboat").doesNotContain("NullPointerException");
    }

    @Test
    void connectionStringArgumentsAreRefusedWithAPointerToTheConfig() throws Exception {
        String in = INIT
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"create_backup\","
                + "\"arguments\":{\"database\":\"postgresql://app:s3cret@db.example.com/app\"}}}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"list_backups\","
                + "\"arguments\":{\"database\":\"host=db.example.com password=s3cret\"}}}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list_backups\","
                + "\"arguments\":{\"colour\":\"blue\"}}}\n";
        List<JsonNode> all = serve(Tools.all(null), in);
        Map<String, JsonNode> replies = byId(all);
        for (String id : List.of("1", "2")) {
            JsonNode r = replies.get(id).get("result");
            assertThat(r.get("isError").asBoolean()).isTrue();
            assertThat(r.at("/structuredContent/error/code").asString()).isEqualTo("INVALID_ARGUMENT");
            assertThat(r.at("/structuredContent/error/message").asString()).contains("connection string");
            assertThat(r.at("/structuredContent/error/hint").asString()).contains("lifeboat.yaml");
        }
        JsonNode unknown = replies.get("3").get("result");
        assertThat(unknown.at("/structuredContent/error/code").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(unknown.at("/content/0/text").asString()).contains("colour");
        assertThat(all.toString()).doesNotContain("s3cret");
    }

    @Test
    void toolsListShowsEveryToolWithClosedSchemasDescriptionsAndAnnotations() throws Exception {
        String in = INIT + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n";
        JsonNode tools = byId(serve(Tools.all(null), in)).get("1").at("/result/tools");
        List<String> names = new ArrayList<>();
        tools.forEach(t -> names.add(t.get("name").asString()));
        assertThat(names)
                .containsExactly(
                        "list_databases",
                        "create_backup",
                        "list_backups",
                        "get_backup",
                        "backup_status",
                        "verify_backup",
                        "drill_backup",
                        "restore_backup",
                        "restore_over_existing",
                        "undo_restore",
                        "delete_backup",
                        "prune_backups",
                        "copy_backup",
                        "get_operation",
                        "cancel_operation");
        for (JsonNode t : tools) {
            String name = t.get("name").asString();
            assertThat(t.get("title").asString()).as(name).isNotBlank();
            assertThat(t.get("description").asString().length()).as(name).isGreaterThan(80);
            assertThat(t.at("/inputSchema/additionalProperties").asBoolean(true))
                    .as(name)
                    .isFalse();
            t.at("/inputSchema/properties")
                    .properties()
                    .forEach(p -> assertThat(p.getValue().get("description"))
                            .as(name + "." + p.getKey())
                            .isNotNull());
            assertThat(t.at("/outputSchema/type").asString()).as(name).isEqualTo("object");
            assertThat(t.at("/annotations/readOnlyHint").isBoolean()).as(name).isTrue();
            assertThat(t.at("/annotations/destructiveHint").isBoolean())
                    .as(name)
                    .isTrue();
        }
        Map<String, JsonNode> byName = new HashMap<>();
        tools.forEach(t -> byName.put(t.get("name").asString(), t));
        assertThat(byName.get("restore_over_existing")
                        .at("/annotations/destructiveHint")
                        .asBoolean())
                .isTrue();
        assertThat(byName.get("restore_backup")
                        .at("/annotations/destructiveHint")
                        .asBoolean())
                .isFalse();
        assertThat(byName.get("delete_backup")
                        .at("/annotations/destructiveHint")
                        .asBoolean())
                .isTrue();
        assertThat(byName.get("list_backups").at("/annotations/readOnlyHint").asBoolean())
                .isTrue();
        assertThat(byName.get("create_backup")
                        .at("/annotations/destructiveHint")
                        .asBoolean())
                .isFalse();
    }
}
