package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.testing.SampleManifest;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the answers an agent reads cost its context window, measured on the wire as the real Java SDK
 * client receives them (over Streamable HTTP, JSON as sent): tools/list, a default list_backups of a
 * store with 200 backups, and prune dry runs that remove few or many. The sizes are written to
 * {@code target/mcp-answer-sizes.md}, which {@code bench/mcp-answer-sizes.sh} copies into {@code bench/}.
 */
class AnswerSizeTest {
    static final int TOOLS_LIST_MAX = 16 * 1024;
    static final int LIST_BACKUPS_MAX = 8 * 1024;
    static final int BACKUPS = 200;

    @TempDir
    static Path dir;

    static Fixture fixture;
    static McpClients mcp;
    static final Map<String, Integer> sizes = new LinkedHashMap<>();

    @BeforeAll
    static void twoHundredBackupsOfEachDatabase() throws Exception {
        // 'app' keeps its last 195 (a prune removes 5), 'big' keeps its last 10 (removes 190), 'logs' has no policy
        fixture = new Fixture(
                dir,
                c -> c.database("app", db -> db.retention("keep_last", 195))
                        .database(
                                "big",
                                db -> db.host("127.0.0.1")
                                        .port(1)
                                        .user("big")
                                        .store("local")
                                        .retention("keep_last", 10))
                        .database(
                                "logs",
                                db -> db.host("127.0.0.1").port(1).user("logs").store("local")));
        try (BackupStore store = BackupStores.open(fixture.config.store("local"), fixture.env())) {
            Catalog catalog = new Catalog(store);
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (String db : List.of("app", "big", "logs")) {
                for (int i = 0; i < BACKUPS; i++) {
                    Instant at = start.plus(Duration.ofHours(i));
                    SampleManifest.of(db, at)
                            .server(new ServerInfo("db.internal", 5432, db, "backup", "15.18", 15))
                            .dumpTool("pg_dump (PostgreSQL) 15.18")
                            .finishedAt(at.plusSeconds(4))
                            .label(i % 4 == 0 ? "nightly before deploy " + i : null)
                            .tags(Map.of("ticket", "OPS-" + i))
                            .toolVersion("0.1.0")
                            .tables(
                                    new TableSummary("public", "accounts", 12000, false),
                                    new TableSummary("public", "orders", 340000, false))
                            .commit(catalog, ("PGDMP-" + db + i).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        mcp = fixture.httpClient();
    }

    @AfterAll
    static void writeTheSizes() throws Exception {
        StringBuilder md = new StringBuilder("| answer | bytes |\n|---|---:|\n");
        sizes.forEach(
                (k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        Files.writeString(Path.of("target", "mcp-answer-sizes.md"), md.toString());
        if (mcp != null) {
            mcp.close();
        }
        fixture.close();
    }

    static int wire(Object result) {
        try {
            return McpJsonDefaults.getMapper().writeValueAsString(result).getBytes(StandardCharsets.UTF_8).length;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Keeps the answer itself beside the sizes, for whoever trims it next. */
    static void dump(String name, Object result) {
        try {
            Files.writeString(
                    Path.of("target", name), McpJsonDefaults.getMapper().writeValueAsString(result));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int record(String what, Object result) {
        int n = wire(result);
        sizes.put(what, n);
        return n;
    }

    @Test
    void toolsListFitsIn16KiB() throws Exception {
        McpSchema.ListToolsResult tools = mcp.client("http").listTools();
        dump("tools-list.json", tools);
        // as the server writes it: its mapper adds each task-capable tool's execution.taskSupport, which the
        // client's records drop when they parse the answer
        var tasks = LifeboatMcpServer.tasks(
                dev.lifeboat.mcp.tool.Tools.all(fixture.service),
                new dev.lifeboat.mcp.transport.CancelRegistry(),
                dev.lifeboat.mcp.settings.ToolOffer.ALL);
        String sent = dev.lifeboat.mcp.transport.TaskJson.mapper(tasks.tools()).writeValueAsString(tools);
        assertThat(sent).contains("\"taskSupport\":\"optional\"");
        int n = sent.getBytes(StandardCharsets.UTF_8).length;
        sizes.put("tools/list (every tool, full-scope token)", n);
        assertThat(n).isLessThanOrEqualTo(TOOLS_LIST_MAX);
    }

    @Test
    void toolsListOfTheStatelessRevisionFitsIn16KiBToo() throws Exception {
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient()
                .send(
                        StatelessClients.raw(mcp.base(), HttpSecurityTest.FULL, "tools/list", Map.of()),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        // the result as sent (compact JSON), measured as the session revisions' tools/list is
        var mapper = McpJsonDefaults.getMapper();
        Object result = mapper.readValue(answer.body(), Map.class).get("result");
        assertThat(String.valueOf(result)).contains("restore_over_existing");
        int n = wire(result);
        sizes.put("tools/list, stateless 2026-07-28 revision (every tool, full-scope token)", n);
        assertThat(n).isLessThanOrEqualTo(TOOLS_LIST_MAX);
    }

    @Test
    void aDefaultListBackupsOf200BackupsFitsIn8KiB() {
        McpSchema.CallToolResult r = mcp.call("http", "list_backups", Map.of("database", "app"));
        assertThat(r.isError()).as(String.valueOf(r)).isFalse();
        assertThat(record("list_backups, default (database with " + BACKUPS + " backups)", r))
                .isLessThanOrEqualTo(LIST_BACKUPS_MAX);
    }

    @Test
    void aPruneDryRunGrowsWithWhatItRemovesNotWithWhatItKeeps() {
        McpSchema.CallToolResult few = mcp.call("http", "prune_backups", Map.of("database", "app"));
        McpSchema.CallToolResult many = mcp.call("http", "prune_backups", Map.of("database", "big"));
        int fewBytes = record("prune_backups dry run removing 5, keeping 195", few);
        int manyBytes = record("prune_backups dry run removing 190, keeping 10", many);
        assertThat(fewBytes).isLessThanOrEqualTo(4 * 1024);
        // per removal: an id in the text and an entry in the plan, a few hundred bytes at most
        assertThat((manyBytes - fewBytes) / 185).isLessThanOrEqualTo(250);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCursorPagesThroughEveryBackupOnceDownToTheOldest() {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        Map<String, Object> args = new java.util.HashMap<>(Map.of("database", "app", "limit", 60));
        for (int page = 0; page < 10; page++) {
            Map<String, Object> s = McpResults.structured(mcp.call("http", "list_backups", args));
            assertThat(s).containsEntry("total", BACKUPS);
            for (Object b : (List<Object>) s.get("backups")) {
                assertThat(seen.add((String) ((Map<String, Object>) b).get("backup_id")))
                        .isTrue();
            }
            if (!(Boolean) s.get("has_more")) {
                assertThat(s).doesNotContainKey("next_cursor");
                break;
            }
            args.put("cursor", s.get("next_cursor"));
        }
        assertThat(seen).hasSize(BACKUPS);
        assertThat(List.copyOf(seen).get(BACKUPS - 1)).startsWith("app-20260101T000000Z");
    }

    @Test
    @SuppressWarnings("unchecked")
    void compactEntriesByDefaultAndTheManifestOnRequest() {
        Map<String, Object> compact = (Map<String, Object>) ((List<Object>)
                        McpResults.structured(mcp.call("http", "list_backups", Map.of("database", "app", "limit", 1)))
                                .get("backups"))
                .get(0);
        assertThat(compact.keySet())
                .contains("backup_id", "created_at", "size_bytes")
                .isSubsetOf("backup_id", "database", "store", "created_at", "size_bytes", "label", "last_drill");
        Map<String, Object> detail = (Map<String, Object>) ((List<Object>) McpResults.structured(
                                mcp.call("http", "list_backups", Map.of("database", "app", "limit", 1, "detail", true)))
                        .get("backups"))
                .get(0);
        assertThat(detail).containsKeys("sha256", "server", "tags", "table_count");
    }

    @Test
    void aCursorTheServerDidNotGiveIsRefused() {
        McpSchema.CallToolResult r = mcp.call("http", "list_backups", Map.of("cursor", "bm90LWEtY3Vyc29y"));
        assertThat(McpResults.errorCode(r)).isEqualTo("INVALID_ARGUMENT");
    }
}
