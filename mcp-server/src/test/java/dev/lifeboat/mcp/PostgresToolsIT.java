package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpResults.errorCode;
import static dev.lifeboat.mcp.McpResults.map;
import static dev.lifeboat.mcp.McpResults.structured;
import static dev.lifeboat.mcp.McpResults.text;
import static dev.lifeboat.mcp.McpResults.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.testing.ChildProcesses;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model's whole journey against a real PostgreSQL (scram-sha-256, real pg_dump/pg_restore), through
 * the SDK's client over stdio (spawned server), Streamable HTTP and SSE: back up, verify, restore into
 * a new database, be stopped at the confirmation step, restore over the database with the token, and
 * cancel a running backup. The cluster's password is the canary.
 */
class PostgresToolsIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static PgCluster pg;
    static String source;
    static LiveService live;
    static Path configFile;
    static BackupService service;
    static McpClients mcp;

    @BeforeAll
    static void start() throws Exception {
        pg = PgCluster.shared();
        source = SampleData.database(pg, "mcpsrc", 200);
        live = LiveService.over(pg, dir).database("app", source).store("local");
        configFile = live.write();
        service = live.open();
        mcp = McpClients.start(service, configFile, live.env(), McpSchema.LoggingLevel.INFO, "stdio", "http", "sse");
    }

    @AfterAll
    static void stop() throws Exception {
        mcp.close();
        service.close();
        mcp.assertNeverSaw(pg.password(), live.stateDir());
    }

    static McpSchema.CallToolResult call(String transport, String tool, Map<String, Object> args) {
        return mcp.call(transport, tool, args);
    }

    static String backup(String transport) {
        McpSchema.CallToolResult created =
                call(transport, "create_backup", Map.of("database", "app", "label", "mcp " + transport));
        assertThat(created.isError()).as(String.valueOf(created)).isFalse();
        return (String) map(structured(created).get("backup")).get("backup_id");
    }

    /**
     * A new database (a unique name from {@code prefix}) whose one table public.{@code table} holds the
     * row {@code value}: live data a restore over it must leave or replace.
     */
    static String liveDatabase(String prefix, String table, int value) {
        String db = PgCluster.uniqueName(prefix);
        pg.createDatabase(db);
        pg.execute(
                db,
                "CREATE TABLE public." + table + " (x int)",
                "INSERT INTO public." + table + " VALUES (" + value + ")");
        return db;
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http", "sse"})
    void aModelCanBackUpVerifyAndRestoreIntoANewDatabase(String transport) {
        String id = backup(transport);
        assertThat(mcp.progress.get(transport)).isNotEmpty();
        assertThat(mcp.seen).anyMatch(s -> s.startsWith(transport + " log INFO backup of app started"));

        McpSchema.CallToolResult verify = call(transport, "verify_backup", Map.of("backup_id", id, "level", "archive"));
        assertThat(structured(verify)).containsEntry("passed", true);
        if (transport.equals("http")) {
            // the restore drill is a tool of its own; its answer is the drill record, as stored
            McpSchema.CallToolResult drill = call(transport, "drill_backup", Map.of("backup_id", id, "wait", 50));
            assertThat(structured(drill)).as(text(drill)).containsEntry("passed", true);
            assertThat(map(structured(drill).get("drill")))
                    .containsEntry("result", "PASS")
                    .containsEntry("scratch_dropped", true)
                    .containsKey("tables");
            assertThat(service.drills("app", null)).anyMatch(d -> d.backupId().equals(id));
        }

        String target = PgCluster.uniqueName("restored");
        McpSchema.CallToolResult restored =
                call(transport, "restore_backup", Map.of("backup_id", id, "target_dbname", target));
        assertThat(restored.isError()).as(String.valueOf(restored)).isFalse();
        assertThat(structured(restored)).containsEntry("status", "restored");
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
        pg.dropDatabase(target);
    }

    @Test
    void aModelChoosesWhoOwnsTheRestoredObjects() {
        String role = PgCluster.uniqueName("tabowner");
        pg.execute("postgres", "CREATE ROLE " + role);
        pg.execute(
                source,
                "CREATE TABLE public.owned_elsewhere (x int)",
                "ALTER TABLE public.owned_elsewhere OWNER TO " + role);
        String id = backup("stdio");
        String kept = PgCluster.uniqueName("owners_kept");
        String login = PgCluster.uniqueName("owners_login");

        McpSchema.CallToolResult keep = call("stdio", "restore_backup", Map.of("backup_id", id, "target_dbname", kept));
        McpSchema.CallToolResult given =
                call("stdio", "restore_backup", Map.of("backup_id", id, "target_dbname", login, "owners", "login"));
        McpSchema.CallToolResult unknown = call(
                "stdio",
                "restore_backup",
                Map.of("backup_id", id, "target_dbname", PgCluster.uniqueName("x"), "owners", "nobody"));

        assertThat(keep.isError()).as(String.valueOf(keep)).isFalse();
        assertThat(pg.queryValue(kept, "SELECT tableowner FROM pg_tables WHERE tablename = 'owned_elsewhere'"))
                .isEqualTo(role);
        assertThat(given.isError()).as(String.valueOf(given)).isFalse();
        assertThat(pg.queryValue(login, "SELECT tableowner FROM pg_tables WHERE tablename = 'owned_elsewhere'"))
                .isEqualTo(PgCluster.SUPERUSER);
        assertThat(unknown.isError()).isTrue();
        assertThat(errorCode(unknown)).isEqualTo("INVALID_ARGUMENT");
        pg.dropDatabase(kept);
        pg.dropDatabase(login);
    }

    @Test
    void aModelCanAskForZstdAndForParallelRestoreJobs() {
        McpSchema.CallToolResult created =
                call("stdio", "create_backup", Map.of("database", "app", "compression", "zstd"));
        assertThat(created.isError()).as(String.valueOf(created)).isFalse();
        Map<String, Object> backup = map(structured(created).get("backup"));
        assertThat(backup).containsEntry("compression", "zstd");
        String id = (String) backup.get("backup_id");

        String target = PgCluster.uniqueName("zstd_jobs");
        McpSchema.CallToolResult restored =
                call("stdio", "restore_backup", Map.of("backup_id", id, "target_dbname", target, "jobs", 2));
        assertThat(restored.isError()).as(String.valueOf(restored)).isFalse();
        assertThat(map(structured(restored).get("result"))).containsEntry("jobs", 2);
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
        pg.dropDatabase(target);

        McpSchema.CallToolResult unknown =
                call("stdio", "create_backup", Map.of("database", "app", "compression", "lz4"));
        assertThat(unknown.isError()).as(String.valueOf(unknown)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http", "sse"})
    void aDestructiveRestoreStopsAtConfirmationAndRunsOnlyWithItsToken(String transport) {
        String id = backup(transport);
        String target = liveDatabase("live", "numbers", 42);
        String other = PgCluster.uniqueName("other");
        pg.createDatabase(other);

        // restore_backup never touches an existing database: it names the tool that does, in MCP's words
        McpSchema.CallToolResult refused =
                call(transport, "restore_backup", Map.of("backup_id", id, "target_dbname", target));
        assertThat(errorCode(refused)).isEqualTo("ALREADY_EXISTS");
        assertThat(text(refused))
                .contains("Hint: ")
                .contains("target_dbname")
                .contains("restore_over_existing, mode \"replace\"")
                .doesNotContain("--");
        assertThat(pg.queryValue(target, "SELECT count(*) FROM public.numbers")).isEqualTo("1");

        Map<String, Object> args = Map.of("backup_id", id, "mode", "clean", "target_dbname", target);
        McpSchema.CallToolResult plan = call(transport, "restore_over_existing", args);
        assertThat(plan.isError()).isFalse();
        assertThat(structured(plan)).containsEntry("status", "confirmation_required");
        Map<String, Object> p = map(structured(plan).get("plan"));
        assertThat((String) p.get("summary")).contains(target);
        assertThat(p).containsEntry("destructive", true);
        String token = token(plan);
        // the model was stopped: nothing changed yet
        assertThat(pg.queryValue(target, "SELECT count(*) FROM public.numbers")).isEqualTo("1");

        Map<String, Object> elsewhere =
                Map.of("backup_id", id, "mode", "clean", "target_dbname", other, "confirm_token", token);
        assertThat(errorCode(call(transport, "restore_over_existing", elsewhere)))
                .isEqualTo("TOKEN_REJECTED");

        Map<String, Object> withToken = new HashMap<>(args);
        withToken.put("confirm_token", token);
        McpSchema.CallToolResult done = call(transport, "restore_over_existing", withToken);
        assertThat(done.isError()).as(String.valueOf(done)).isFalse();
        assertThat(structured(done)).containsEntry("status", "restored");
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));

        McpSchema.CallToolResult replay = call(transport, "restore_over_existing", withToken);
        assertThat(errorCode(replay)).isEqualTo("TOKEN_REJECTED");
        assertThat(replay.content().toString()).contains("already used");
        pg.dropDatabase(target);
        pg.dropDatabase(other);
    }

    @Test
    void aModelReplacesADatabaseAndUndoesItStoppedAtConfirmationEachTime() {
        String id = backup("stdio");
        String target = liveDatabase("replaced", "migrated_badly", 1);
        var before = pg.tableFingerprints(target);
        Map<String, McpSchema.Tool> served = new HashMap<>();
        Tools.all(service).forEach(t -> served.put(t.definition().name(), ToolDispatcherTest.served(t)));

        Map<String, Object> args = Map.of("backup_id", id, "mode", "replace", "target_dbname", target);
        McpSchema.CallToolResult plan = call("stdio", "restore_over_existing", args);
        OutputSchemas.assertConforms(served.get("restore_over_existing"), plan);
        Map<String, Object> p = map(structured(plan).get("plan"));
        assertThat(p).containsEntry("mode", "replace").containsEntry("undoable", true);
        assertThat(p.get("only_in_target")).isEqualTo(List.of("public.migrated_badly"));
        assertThat(pg.tableFingerprints(target)).isEqualTo(before);

        Map<String, Object> withToken = new HashMap<>(args);
        withToken.put("confirm_token", token(plan));
        McpSchema.CallToolResult done = call("stdio", "restore_over_existing", withToken);
        OutputSchemas.assertConforms(served.get("restore_over_existing"), done);
        assertThat(done.isError()).as(String.valueOf(done)).isFalse();
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
        String previous = (String) map(structured(done).get("result")).get("previous");
        assertThat(previous).startsWith(target + "__prev_");

        Map<String, Object> undoArgs = Map.of("database", "app", "target_dbname", target);
        McpSchema.CallToolResult undoPlan = call("stdio", "undo_restore", undoArgs);
        OutputSchemas.assertConforms(served.get("undo_restore"), undoPlan);
        assertThat(structured(undoPlan)).containsEntry("status", "confirmation_required");
        assertThat(map(structured(undoPlan).get("plan"))).containsEntry("previous", previous);
        assertThat(errorCode(call(
                        "stdio",
                        "undo_restore",
                        Map.of("database", "app", "target_dbname", target, "confirm_token", token(plan)))))
                .isEqualTo("TOKEN_REJECTED");

        Map<String, Object> undoWithToken = new HashMap<>(undoArgs);
        undoWithToken.put("confirm_token", token(undoPlan));
        McpSchema.CallToolResult undone = call("stdio", "undo_restore", undoWithToken);
        OutputSchemas.assertConforms(served.get("undo_restore"), undone);
        assertThat(structured(undone)).containsEntry("status", "undone");
        assertThat(pg.tableFingerprints(target)).isEqualTo(before);

        String keptNow = (String) map(structured(undone).get("result")).get("current_kept_as");
        pg.dropDatabase(target);
        pg.dropDatabase(keptNow);
    }

    /**
     * The same journey under the stateless 2026-07-28 revision (the Java SDK's client of it, Streamable
     * HTTP): a replace after a bad migration and its undo, each stopped at the person's confirmation,
     * which comes back as the call's input_required round; a declined replace changes nothing.
     */
    @Test
    void underTheStatelessRevisionThePersonConfirmsAReplaceAndItsUndoAndTheModelNeverHoldsAToken() throws Exception {
        String id = backup("http");
        String target = PgCluster.uniqueName("stateless");
        pg.createDatabase(target);
        pg.execute(
                target, "CREATE TABLE public.migrated_badly (x int)", "INSERT INTO public.migrated_badly VALUES (1)");
        var before = pg.tableFingerprints(target);
        List<String> forms = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean accept = new java.util.concurrent.atomic.AtomicBoolean(false);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (JettyMcpHttpServer http = HttpSecurityTest.startOnLoopback(service)) {
            var client = StatelessClients.http("http://127.0.0.1:" + http.port(), HttpSecurityTest.FULL, form -> {
                forms.add(form.message());
                return accept.get()
                        ? io.modelcontextprotocol.modern.McpSchema.ElicitResult.accept(
                                Map.of(PersonConfirmation.FIELD, target))
                        : io.modelcontextprotocol.modern.McpSchema.ElicitResult.decline();
            });
            Map<String, Object> replace = Map.of("backup_id", id, "mode", "replace", "target_dbname", target);
            var declined =
                    client.tool("restore_over_existing").arguments(replace).call();
            seen.add(StatelessClients.text(declined) + declined.structuredContent());
            assertThat(StatelessClients.text(declined)).startsWith("NOT_CONFIRMED: the user declined plan");
            assertThat(pg.tableFingerprints(target)).isEqualTo(before);

            accept.set(true);
            var replaced =
                    client.tool("restore_over_existing").arguments(replace).call();
            seen.add(StatelessClients.text(replaced) + replaced.structuredContent());
            assertThat(replaced.isError()).as(StatelessClients.text(replaced)).isFalse();
            Map<String, Object> done = StatelessClients.structured(replaced);
            assertThat(done).containsEntry("status", "restored");
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
            assertThat(forms.get(1)).contains("not the assistant").contains("public.migrated_badly");

            var undone = client.tool("undo_restore")
                    .arguments(Map.of("database", "app", "target_dbname", target))
                    .call();
            seen.add(StatelessClients.text(undone) + undone.structuredContent());
            assertThat(StatelessClients.structured(undone)).containsEntry("status", "undone");
            assertThat(pg.tableFingerprints(target)).isEqualTo(before);
            assertThat(forms).hasSize(3);
            assertThat(String.join("\n", seen)).doesNotContain("lbc1.").doesNotContain("confirm_token");
            pg.dropDatabase((String)
                    map(StatelessClients.structured(undone).get("result")).get("current_kept_as"));
        }
        pg.dropDatabase(target);
    }

    /** undo_restore for a client with form elicitation: the person declines (nothing changes), then types the name. */
    @Test
    void thePersonDeclinesAnUndoAndNothingChangesThenTypesTheDatabaseNameAndItIsUndone() throws Exception {
        String id = backup("stdio");
        String target = liveDatabase("undone", "before_restore", 7);
        var before = pg.tableFingerprints(target);
        Map<String, Object> args = Map.of("backup_id", id, "target_dbname", target);
        McpSchema.CallToolResult plan = call("stdio", "restore_over_existing", args);
        Map<String, Object> withToken = new HashMap<>(args);
        withToken.put("confirm_token", token(plan));
        assertThat(structured(call("stdio", "restore_over_existing", withToken)))
                .containsEntry("status", "restored");
        var restored = pg.tableFingerprints(target);
        assertThat(restored).isEqualTo(pg.tableFingerprints(source));

        List<McpSchema.ElicitFormRequest> forms = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean accept = new java.util.concurrent.atomic.AtomicBoolean(false);
        try (McpClients person = McpClients.start(
                service,
                configFile,
                live.env(),
                McpSchema.LoggingLevel.INFO,
                form -> {
                    forms.add(form);
                    return accept.get()
                            ? new McpSchema.ElicitResult(
                                    McpSchema.ElicitResult.Action.ACCEPT, Map.of(PersonConfirmation.FIELD, target))
                            : new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null);
                },
                "http")) {
            Map<String, Object> undo = Map.of("database", "app", "target_dbname", target);
            McpSchema.CallToolResult declined = person.call("http", "undo_restore", undo);
            assertThat(errorCode(declined)).isEqualTo("NOT_CONFIRMED");
            assertThat(text(declined)).contains("the user declined plan").contains("nothing was changed");
            assertThat(pg.tableFingerprints(target)).isEqualTo(restored);

            accept.set(true);
            McpSchema.CallToolResult undone = person.call("http", "undo_restore", undo);
            assertThat(undone.isError()).as(text(undone)).isFalse();
            assertThat(structured(undone)).containsEntry("status", "undone");
            assertThat(pg.tableFingerprints(target)).isEqualTo(before);
            assertThat(forms).hasSize(2);
            assertThat(forms.get(1).message()).contains("not the assistant").contains("('" + target + "')");
            assertThat(String.join("\n", person.seen)).doesNotContain("lbc1.").doesNotContain("confirm_token");
            String keptNow = (String) map(structured(undone).get("result")).get("current_kept_as");
            pg.dropDatabase(keptNow);
        }
        pg.dropDatabase(target);
    }

    @Test
    void cancellingARunningBackupOverStdioStopsPgDumpAndListsNothing() throws Exception {
        String bulk = SampleData.bulkDatabase(pg, "mcpbulk", 24);
        Path bulkConfig = live.write("bulk.yaml", c -> c.database("bulk", live.connection(bulk)));
        ProcessBuilder pb =
                new ProcessBuilder(McpClients.serverCommand(bulkConfig)).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(live.env());
        Process server = pb.start();
        try (OutputStream in = server.getOutputStream();
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            send(
                    in,
                    "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(
                    in,
                    "{\"jsonrpc\":\"2.0\",\"id\":\"b1\",\"method\":\"tools/call\",\"params\":{\"name\":"
                            + "\"create_backup\",\"arguments\":{\"database\":\"bulk\"},\"_meta\":{\"progressToken\":\"p1\"}}}");
            JsonNode reply = null;
            boolean cancelled = false;
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                JsonNode n = JSON.readTree(line);
                if (!cancelled
                        && "notifications/progress".equals(n.path("method").asString(""))) {
                    send(
                            in,
                            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
                                    + "{\"requestId\":\"b1\",\"reason\":\"user pressed stop\"}}");
                    cancelled = true;
                }
                if ("b1".equals(n.path("id").asString(""))) {
                    reply = n;
                    break;
                }
            }
            assertThat(cancelled).as(String.join("\n", lines)).isTrue();
            assertThat(reply).isNotNull();
            assertThat(reply.at("/result/isError").asBoolean()).isTrue();
            assertThat(reply.at("/result/structuredContent/error/code").asString())
                    .isEqualTo("CANCELLED");
            assertThat(String.join("\n", lines)).doesNotContain(pg.password());

            assertThat(ChildProcesses.pgDump(server.toHandle())).isEmpty();
            send(
                    in,
                    "{\"jsonrpc\":\"2.0\",\"id\":\"l1\",\"method\":\"tools/call\",\"params\":{\"name\":"
                            + "\"list_backups\",\"arguments\":{\"database\":\"bulk\"}}}");
            while ((line = out.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                if ("l1".equals(n.path("id").asString(""))) {
                    assertThat(n.at("/result/structuredContent/count").asInt()).isZero();
                    break;
                }
            }
        } finally {
            server.waitFor(20, TimeUnit.SECONDS);
            server.destroyForcibly();
            pg.dropDatabase(bulk);
        }
        assertThat(ChildProcesses.pgDump()).isEmpty();
    }

    private static void send(OutputStream in, String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** A cancel test's body: a service over a database whose backup runs for a while, served over HTTP. */
    interface BulkRun {
        void run(BackupService bulkService, JettyMcpHttpServer server) throws Exception;
    }

    /**
     * Runs {@code body} with a service whose database {@code app} is a fresh 24 MiB one (its own store
     * {@code store}), served over HTTP; drops the database and checks no pg_dump was left running.
     */
    private static void withBulkService(String prefix, String store, BulkRun body) throws Exception {
        String bulk = SampleData.bulkDatabase(pg, prefix, 24);
        try (BackupService bulkService =
                        live.open(c -> c.database("app", db -> db.dbname(bulk)).store("local", dir.resolve(store)));
                JettyMcpHttpServer server = HttpSecurityTest.startOnLoopback(bulkService)) {
            body.run(bulkService, server);
        } finally {
            pg.dropDatabase(bulk);
        }
        assertThat(ChildProcesses.pgDump()).isEmpty();
    }

    /** The cancelled call was answered CANCELLED and committed nothing. */
    private static void assertCancelledAndNothingListed(boolean cancelled, JsonNode reply, BackupService service) {
        assertThat(cancelled).isTrue();
        assertThat(reply).isNotNull();
        assertThat(reply.at("/result/structuredContent/error/code").asString()).isEqualTo("CANCELLED");
        assertThat(service.list(ListBackupsQuery.all())).isEmpty();
    }

    /** An initialized Streamable HTTP session with the full-scope token: requests in it, and the client sending them. */
    private record HttpSession(
            java.net.http.HttpClient client, java.util.function.Function<String, HttpRequest> inSession) {}

    private static HttpSession openSession(JettyMcpHttpServer server) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.URI mcp = java.net.URI.create("http://127.0.0.1:" + server.port() + "/mcp");
        java.util.function.Function<String, HttpRequest.Builder> post = body -> HttpRequest.newBuilder(mcp)
                .header("Authorization", "Bearer " + HttpSecurityTest.FULL)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        var init = client.send(
                post.apply(HttpSecurityTest.INIT).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        java.util.function.Function<String, HttpRequest> inSession =
                body -> post.apply(body).header("Mcp-Session-Id", session).build();
        client.send(
                inSession.apply("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        return new HttpSession(client, inSession);
    }

    @Test
    void cancellingAReplaceWhilePgRestoreRunsLeavesTheTargetAsItWasAndNothingBeside() throws Exception {
        withBulkService("mcprepl", "bulk-replace-store", (bulkService, server) -> {
            String id = bulkService
                    .create(
                            new dev.lifeboat.core.backup.CreateBackupRequest("app", null, null, Map.of()),
                            dev.lifeboat.core.base.OperationContext.of("test", "tester"))
                    .manifest()
                    .id();
            String target = bulkService.config().database("app").dbname();
            pg.execute(target, "CREATE TABLE public.today (x int)");
            var before = pg.tableFingerprints(target);
            String token = bulkService
                    .planRestore(new dev.lifeboat.core.restore.RestoreRequest(
                            id, null, null, null, dev.lifeboat.core.restore.RestoreMode.REPLACE, null))
                    .confirmation()
                    .token();
            HttpSession s = openSession(server);
            var canceller = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    ProcessHandle restoring = null;
                    for (int i = 0; i < 1200 && restoring == null; i++) {
                        restoring = ProcessHandle.current()
                                .descendants()
                                .filter(h -> h.info().command().orElse("").endsWith("/pg_restore"))
                                .filter(h -> java.util.Arrays.stream(
                                                h.info().arguments().orElse(new String[0]))
                                        .anyMatch(a -> a.startsWith("--dbname")))
                                .findFirst()
                                .orElse(null);
                        Thread.sleep(25);
                    }
                    assertThat(restoring)
                            .as("pg_restore restoring beside the target")
                            .isNotNull();
                    s.client()
                            .send(
                                    s.inSession().apply(cancelling(9)),
                                    java.net.http.HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            var stream = s.client()
                    .send(
                            s.inSession()
                                    .apply("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":"
                                            + "{\"name\":\"restore_over_existing\",\"arguments\":{\"backup_id\":\"" + id
                                            + "\",\"mode\":\"replace\",\"confirm_token\":\"" + token + "\"},"
                                            + "\"_meta\":{\"progressToken\":\"r\"}}}"),
                            java.net.http.HttpResponse.BodyHandlers.ofLines());
            JsonNode reply = null;
            for (String line : (Iterable<String>) stream.body()::iterator) {
                if (line.startsWith("data:")) {
                    JsonNode n = JSON.readTree(line.substring(5).trim());
                    if (n.path("id").asInt(-1) == 9) {
                        reply = n;
                        break;
                    }
                }
            }
            canceller.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(reply).isNotNull();
            assertThat(reply.at("/result/structuredContent/error/code").asString())
                    .isEqualTo("CANCELLED");
            assertThat(reply.at("/result/structuredContent/error/message").asString())
                    .contains("was not touched", "was removed");
            assertThat(pg.tableFingerprints(target)).isEqualTo(before);
            assertThat(pg.queryValue(
                            "postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE '" + target + "\\_\\_%'"))
                    .isEqualTo("0");
            assertThat(ChildProcesses.pgRestore()).isEmpty();
        });
    }

    /** The JSON-RPC call, number {@code id}, of create_backup (the default database) asking for progress. */
    private static String createBackupReportingProgress(int id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"create_backup\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p" + id + "\"}}}";
    }

    /** The notification that cancels the JSON-RPC call number {@code id}. */
    private static String cancelling(int id) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":" + id + "}}";
    }

    @Test
    void cancellingARunningBackupOverStreamableHttpStopsPgDump() throws Exception {
        withBulkService("mcpbulkh", "bulk-store", (bulkService, server) -> {
            HttpSession s = openSession(server);
            java.net.http.HttpClient client = s.client();
            java.util.function.Function<String, HttpRequest> inSession = s.inSession();
            var stream = client.send(
                    inSession.apply(createBackupReportingProgress(7)),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            boolean cancelled = false;
            JsonNode reply = null;
            for (String line : (Iterable<String>) stream.body()::iterator) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode n = JSON.readTree(line.substring(5).trim());
                if (!cancelled
                        && "notifications/progress".equals(n.path("method").asString(""))) {
                    var ack = client.send(
                            inSession.apply(cancelling(7)), java.net.http.HttpResponse.BodyHandlers.discarding());
                    assertThat(ack.statusCode()).isEqualTo(202);
                    cancelled = true;
                }
                if (n.path("id").asInt(-1) == 7) {
                    reply = n;
                    break;
                }
            }
            assertCancelledAndNothingListed(cancelled, reply, bulkService);
        });
    }

    @Test
    void cancellingARunningBackupOverLegacySseStopsPgDump() throws Exception {
        withBulkService("mcpbulks", "bulk-sse-store", (bulkService, server) -> {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            var events = client.send(
                            HttpRequest.newBuilder(java.net.URI.create(base + "/sse"))
                                    .header("Authorization", "Bearer " + HttpSecurityTest.FULL)
                                    .header("Accept", "text/event-stream")
                                    .GET()
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofLines())
                    .body()
                    .iterator();
            String endpoint = null;
            while (endpoint == null && events.hasNext()) {
                String line = events.next();
                if (line.startsWith("data:") && line.contains("/message")) {
                    endpoint = line.substring(5).trim();
                }
            }
            java.net.URI message = java.net.URI.create(base + endpoint);
            java.util.function.Function<String, HttpRequest> post = body -> HttpRequest.newBuilder(message)
                    .header("Authorization", "Bearer " + HttpSecurityTest.FULL)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            client.send(post.apply(HttpSecurityTest.INIT), java.net.http.HttpResponse.BodyHandlers.discarding());
            client.send(
                    post.apply("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            // the legacy transport answers the POST only when the call is done: send it without waiting
            var call = client.sendAsync(
                    post.apply(createBackupReportingProgress(9)), java.net.http.HttpResponse.BodyHandlers.discarding());
            boolean cancelled = false;
            JsonNode reply = null;
            while (events.hasNext()) {
                String line = events.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode n = JSON.readTree(line.substring(5).trim());
                if (!cancelled
                        && "notifications/progress".equals(n.path("method").asString(""))) {
                    client.send(post.apply(cancelling(9)), java.net.http.HttpResponse.BodyHandlers.discarding());
                    cancelled = true;
                }
                if (n.path("id").asInt(-1) == 9) {
                    reply = n;
                    break;
                }
            }
            call.get(30, TimeUnit.SECONDS);
            assertCancelledAndNothingListed(cancelled, reply, bulkService);
        });
    }
}
