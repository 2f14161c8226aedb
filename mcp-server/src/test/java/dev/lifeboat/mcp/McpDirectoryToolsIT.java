package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.SampleTree;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Directory backups and sets through the SDK's client over stdio (a spawned server) and Streamable
 * HTTP: create, restore into a new directory, the confirmation flow for a non-empty one, a set whose
 * database member fails (its server is unreachable) while the directory is committed, and the set
 * listed as one run. The fixture's database password is the canary for every answer and log line.
 */
class McpDirectoryToolsIT {
    static Path dir;
    static Path uploads;
    static Fixture fixture;
    static JettyMcpHttpServer http;
    static final Map<String, McpSyncClient> clients = new HashMap<>();
    static final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lifeboat-mcp-dirs");
        uploads = SampleTree.create(dir.resolve("uploads"), 50_000);
        fixture = new Fixture(dir, """
                directories:
                  uploads:
                    path: %s
                    store: local
                sets:
                  cvescan:
                    members: [app, uploads]
                """.formatted(uploads));
        http = McpServerRunner.startHttp(
                HttpSecurityTest.settings("127.0.0.1"), Tools.all(fixture.service), new CancelRegistry());
        ServerParameters params = ServerParameters.builder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .args(
                        "-cp",
                        System.getProperty("java.class.path"),
                        McpMain.class.getName(),
                        "--config",
                        fixture.configFile.toString())
                .env(new HashMap<>(Fixture.env()))
                .build();
        StdioClientTransport stdio = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        stdio.setStdErrorHandler(seen::add);
        clients.put("stdio", client(stdio));
        clients.put(
                "http",
                client(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + http.port())
                        .endpoint("/mcp")
                        .requestBuilder(
                                HttpRequest.newBuilder().header("Authorization", "Bearer " + HttpSecurityTest.FULL))
                        .build()));
    }

    static McpSyncClient client(io.modelcontextprotocol.spec.McpClientTransport transport) {
        McpSyncClient c = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(60))
                .loggingConsumer(n -> seen.add(n.data()))
                .progressConsumer(n -> seen.add(String.valueOf(n.message())))
                .build();
        c.initialize();
        c.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);
        return c;
    }

    @AfterAll
    static void stop() throws Exception {
        clients.values().forEach(McpSyncClient::closeGracefully);
        http.close();
        assertThat(String.join("\n", seen)).doesNotContain(McpToolsIT.CANARY);
        assertThat(Files.readString(fixture.config.stateDir().resolve("audit.jsonl")))
                .doesNotContain(McpToolsIT.CANARY);
        fixture.close();
        dev.lifeboat.core.source.files.StagedTree.delete(dir);
    }

    static McpSchema.CallToolResult call(String transport, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = clients.get(transport)
                .callTool(McpSchema.CallToolRequest.builder()
                        .name(tool)
                        .arguments(args)
                        .progressToken(tool + "-" + transport)
                        .build());
        seen.add(String.valueOf(r));
        // what a client that validates structuredContent (the TypeScript SDK's) would check
        OutputSchemas.assertConforms(clients.get(transport), tool, r);
        return r;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sc(McpSchema.CallToolResult r) {
        assertThat(r.structuredContent()).as(String.valueOf(r)).isNotNull();
        return (Map<String, Object>) r.structuredContent();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void aModelBacksUpADirectoryAndRestoresItWithConfirmationForANonEmptyTarget(String transport) throws Exception {
        Map<String, Object> inventory = sc(call(transport, "list_databases", Map.of()));
        assertThat(list(inventory.get("directories"))).anyMatch(d -> "uploads".equals(map(d).get("name")));
        // each source's effective compression, and a database's restore jobs
        assertThat(list(inventory.get("directories")))
                .allMatch(d -> map(d).get("compression") != null && map(d).get("compression_source") != null);
        assertThat(list(inventory.get("databases")))
                .allMatch(d -> map(d).get("compression") != null && map(d).get("restore_jobs") != null);
        assertThat(list(inventory.get("sets"))).anyMatch(d -> "cvescan".equals(map(d).get("name")));

        McpSchema.CallToolResult created = call(transport, "create_backup", Map.of("database", "uploads"));
        assertThat(created.isError()).as(String.valueOf(created)).isFalse();
        Map<String, Object> backup = map(sc(created).get("backup"));
        assertThat(backup).containsEntry("kind", "directory").containsEntry("format", "tar");
        String id = (String) backup.get("backup_id");

        McpSchema.CallToolResult verified =
                call(transport, "verify_backup", Map.of("backup_id", id, "level", "archive"));
        assertThat(sc(verified)).as(String.valueOf(verified)).containsEntry("passed", true);

        Path fresh = dir.resolve("restored-" + transport);
        McpSchema.CallToolResult restored =
                call(transport, "restore_backup", Map.of("backup_id", id, "target_dir", fresh.toString()));
        assertThat(sc(restored)).as(String.valueOf(restored)).containsEntry("status", "restored");
        assertThat(SampleTree.describe(fresh)).isEqualTo(SampleTree.describe(uploads));

        Path live = Files.createDirectories(dir.resolve("live-" + transport));
        Files.writeString(live.resolve("newer.txt"), "newer");
        McpSchema.CallToolResult asked =
                call(transport, "restore_backup", Map.of("backup_id", id, "target_dir", live.toString()));
        Map<String, Object> plan = sc(asked);
        assertThat(plan).containsEntry("status", "confirmation_required");
        assertThat((String) map(plan.get("plan")).get("summary")).contains("REPLACED", live.toString());
        assertThat(live.resolve("newer.txt")).exists();
        String token = (String) map(plan.get("confirmation")).get("token");

        McpSchema.CallToolResult elsewhere = call(
                transport,
                "restore_backup",
                Map.of("backup_id", id, "target_dir", fresh.toString(), "confirm_token", token));
        assertThat(elsewhere.isError()).isTrue();
        assertThat(map(sc(elsewhere).get("error")).get("code")).isEqualTo("TOKEN_REJECTED");

        // the refused call above was bound elsewhere; the token itself is still unused for 'live'
        McpSchema.CallToolResult done = call(
                transport,
                "restore_backup",
                Map.of("backup_id", id, "target_dir", live.toString(), "confirm_token", token));
        assertThat(sc(done)).as(String.valueOf(done)).containsEntry("status", "restored");
        assertThat(live.resolve("newer.txt")).doesNotExist();
        assertThat(SampleTree.describe(live)).isEqualTo(SampleTree.describe(uploads));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void aSetRunCommitsItsDirectoryWhenItsDatabaseFailsAndIsListedAsOneRun(String transport) {
        McpSchema.CallToolResult created = call(transport, "create_backup", Map.of("set", "cvescan"));
        Map<String, Object> out = sc(created);
        assertThat(out).as(String.valueOf(created)).containsEntry("status", "incomplete");
        Map<String, Object> run = map(out.get("set_run"));
        List<Object> members = list(run.get("members"));
        assertThat(map(members.get(0))).containsEntry("name", "app").containsEntry("status", "failed");
        assertThat(map(map(members.get(0)).get("error"))).containsEntry("code", "DATABASE_UNREACHABLE");
        assertThat(map(members.get(1))).containsEntry("name", "uploads").containsEntry("status", "created");
        assertThat(created.content().toString()).contains("INCOMPLETE", "FAILED");

        McpSchema.CallToolResult listed = call(transport, "list_backups", Map.of("set", "cvescan"));
        List<Object> runs = list(sc(listed).get("sets"));
        Map<String, Object> mine = runs.stream()
                .map(McpDirectoryToolsIT::map)
                .filter(r -> run.get("run").equals(r.get("run")))
                .findFirst()
                .orElseThrow();
        assertThat(list(mine.get("missing"))).containsExactly("app");
        assertThat(list(mine.get("backups"))).hasSize(1);
        assertThat(map(list(mine.get("backups")).get(0))).containsEntry("database", "uploads");
    }
}
