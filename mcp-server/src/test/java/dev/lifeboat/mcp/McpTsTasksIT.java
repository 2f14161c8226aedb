package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpTsClientInteropIT.lockATable;
import static dev.lifeboat.mcp.McpTsClientInteropIT.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.mcp.McpTsClientInteropIT.AppAndHeld;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The MCP tasks utility (2025-11-25, experimental) through the official TypeScript SDK client's tasks
 * API ({@code client.experimental.tasks.callToolStream}, which makes the task-augmented call, polls
 * {@code tasks/get} and fetches {@code tasks/result}), over stdio with real backups and over Streamable
 * HTTP with verifications: the server declares the capability and which tools may run as tasks, a task
 * runs to its result, a cancelled one reports CANCELLED and leaves nothing in the store, a failing one
 * gives the tool's own error with its code, and a destructive tool refuses to become a task.
 */
class McpTsTasksIT {
    @TempDir
    Path dir;

    @Test
    void overStdioABackupRunsAsATaskAndACancelledOneLeavesNothing() throws Exception {
        TsHarness ts = TsHarness.installed();
        PgCluster pg = PgCluster.shared();
        AppAndHeld dbs = AppAndHeld.of(pg, dir, "tstask", "tstaskheld");
        LiveService live = dbs.live();
        List<Map<String, Object>> tasks = List.of(
                task("backup", "create_backup", Map.of("database", "app")),
                cancelled(task("held", "create_backup", Map.of("database", "held"))),
                task("missing", "verify_backup", Map.of("backup_id", "app-20200101T000000Z-abcd")),
                task("not_a_task", "delete_backup", Map.of("backup_id", "app-20200101T000000Z-abcd")));
        JsonNode out;
        try (Connection held = lockATable(pg, dbs.held())) {
            out = runTasks(ts, server(live), tasks);
        }
        Map<String, JsonNode> r = byLabel(out);

        assertThat(out.at("/capabilities/tasks/requests/tools/call").isObject())
                .as(out.toString())
                .isTrue();
        assertThat(out.at("/taskSupport/create_backup").asString()).isEqualTo("optional");
        assertThat(out.at("/taskSupport/verify_backup").asString()).isEqualTo("optional");
        assertThat(out.at("/taskSupport/delete_backup").isNull()).isTrue();
        assertThat(out.at("/taskSupport/prune_backups").isNull()).isTrue();

        JsonNode backup = r.get("backup");
        assertThat(backup.path("seen").toString()).as(backup.toString()).contains("taskCreated", "result");
        assertThat(backup.at("/created/status").asString()).isEqualTo("working");
        assertThat(backup.at("/created/taskId").asString()).matches("op-[0-9a-f]{32}");
        assertThat(backup.at("/result/isError").asBoolean())
                .as(backup.toString())
                .isFalse();
        assertThat(backup.at("/result/structuredContent/status").asString()).isEqualTo("created");
        assertThat(backup.at("/result/structuredContent/backup/database").asString())
                .isEqualTo("app");
        assertThat(backup.at("/result/_meta/io.modelcontextprotocol~1related-task/taskId")
                        .asString())
                .isEqualTo(backup.at("/created/taskId").asString());
        assertThat(backup.path("progress"))
                .as("the call's progress token heard the task's progress: " + backup)
                .isNotEmpty();
        double last = -1;
        for (JsonNode p : backup.path("progress")) {
            assertThat(p.path("progress").asDouble()).as("only increasing").isGreaterThan(last);
            last = p.path("progress").asDouble();
        }

        JsonNode cancelledTask = r.get("held");
        assertThat(cancelledTask.at("/cancelled/status").asString())
                .as(cancelledTask.toString())
                .isEqualTo("cancelled");
        assertThat(cancelledTask.at("/error/message").asString()).contains("cancelled");
        assertThat(cancelledTask.at("/result/isError").asBoolean()).isTrue();
        assertThat(cancelledTask.at("/result/structuredContent/error/code").asString())
                .isEqualTo("CANCELLED");
        assertThat(cancelledTask.at("/got/status").asString()).isEqualTo("cancelled");
        assertThat(cancelledTask.at("/cancelAgain/code").asInt())
                .as("a task that has ended cannot be cancelled: -32602")
                .isEqualTo(-32602);
        assertThat(live.storeDir("local").resolve("held"))
                .as("a cancelled backup leaves nothing, not even a folder")
                .doesNotExist();

        assertFailedWithItsOwnError(r.get("missing"), "NOT_FOUND");
        assertThat(r.get("not_a_task").at("/error/code").asInt())
                .as("a destructive tool does not run as a task: " + r.get("not_a_task"))
                .isEqualTo(-32601);
        assertThat(out.path("listed").toString())
                .contains(backup.at("/created/taskId").asString())
                .contains(cancelledTask.at("/created/taskId").asString());
        assertThat(out.at("/unknownTask/code").asInt()).isEqualTo(-32602);
        assertThat(out.toString()).doesNotContain(pg.password());
    }

    @Test
    void overStreamableHttpAVerificationRunsAsATaskAndAFailingOneGivesItsError() throws Exception {
        TsHarness ts = TsHarness.installed();
        try (Fixture f = new Fixture(dir);
                JettyMcpHttpServer http = HttpSecurityTest.startOnLoopback(f.service)) {
            String id = f.seed(Instant.parse("2026-05-01T00:00:00Z"), "PGDMP-task", "as a task");
            Map<String, Object> server = McpTsClientInteropIT.server(http);
            JsonNode out = runTasks(
                    ts,
                    server,
                    List.of(
                            task("verified", "verify_backup", Map.of("backup_id", id)),
                            task("missing", "verify_backup", Map.of("backup_id", "app-20200101T000000Z-abcd")),
                            task("not_a_task", "delete_backup", Map.of("backup_id", id))));
            Map<String, JsonNode> r = byLabel(out);

            assertThat(out.at("/capabilities/tasks/cancel").isObject())
                    .as(out.toString())
                    .isTrue();
            JsonNode verified = r.get("verified");
            assertThat(verified.at("/result/isError").asBoolean())
                    .as(verified.toString())
                    .isFalse();
            assertThat(verified.at("/result/structuredContent/passed").asBoolean())
                    .as(verified.toString())
                    .isTrue();
            assertFailedWithItsOwnError(r.get("missing"), "NOT_FOUND");
            assertThat(r.get("not_a_task").at("/error/code").asInt()).isEqualTo(-32601);
            assertThat(f.service.get(id, null).manifest().id())
                    .as("nothing was deleted")
                    .isEqualTo(id);
        }
    }

    private static void assertFailedWithItsOwnError(JsonNode t, String code) {
        assertThat(t.at("/got/status").asString()).as(t.toString()).isEqualTo("failed");
        assertThat(t.at("/got/statusMessage").asString()).startsWith(code + ": ");
        assertThat(t.at("/result/isError").asBoolean()).isTrue();
        assertThat(t.at("/result/structuredContent/error/code").asString()).isEqualTo(code);
        assertThat(t.at("/result/structuredContent/error/hint").asString()).isNotBlank();
    }

    private JsonNode runTasks(TsHarness ts, Map<String, Object> server, List<Map<String, Object>> tasks)
            throws Exception {
        JsonNode out = ts.run(
                "ts-client-tasks.mjs",
                Files.createTempFile(dir, "tasks", ".json"),
                Map.of("server", server, "tasks", tasks, "signalDir", dir.toString()));
        McpTsClientInteropIT.assertTalkedToTheServer(out);
        assertThat(out.path("results")).hasSize(tasks.size());
        return out;
    }

    private static Map<String, JsonNode> byLabel(JsonNode out) {
        Map<String, JsonNode> r = new LinkedHashMap<>();
        out.path("results").forEach(e -> r.put(e.path("label").asString(), e));
        return r;
    }

    private static Map<String, Object> task(String label, String tool, Map<String, Object> arguments) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("label", label);
        t.put("tool", tool);
        t.put("arguments", arguments);
        return t;
    }

    private static Map<String, Object> cancelled(Map<String, Object> task) {
        task.put("cancel", true);
        return task;
    }
}
