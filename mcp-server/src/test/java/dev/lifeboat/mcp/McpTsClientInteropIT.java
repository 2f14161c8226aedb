package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.PgCluster.TableFingerprint;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.testing.SampleTree;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official TypeScript SDK client ({@code @modelcontextprotocol/sdk}, pinned in
 * {@code src/test/node/package-lock.json}), what most MCP hosts embed, against the real server over
 * stdio. Its {@code Client.callTool} validates structuredContent against the tool's output schema even
 * for {@code isError} results and turns a mismatch into {@code McpError -32602}: then the model sees
 * neither the code nor the hint. The Java SDK's client does not validate, so only a test with the TS
 * client can see this.
 *
 * <p>Needs {@code node} (18+) and {@code npm} on PATH; without them the test is skipped, unless
 * {@code -Dlifeboat.interop.required=true} or {@code LIFEBOAT_INTEROP_REQUIRED=1} (CI sets it) makes
 * their absence a failure. The packages are installed with {@code npm ci} into
 * {@code target/ts-interop} (again only when the lockfile changes; {@code mvn clean} resets it).
 * The error test needs no PostgreSQL (every call there needs only the local store); the long-operation
 * test backs up real databases on the test cluster.
 */
class McpTsClientInteropIT {
    static final String REQUIRED_PROPERTY = "lifeboat.interop.required";
    static final String REQUIRED_ENV = "LIFEBOAT_INTEROP_REQUIRED";
    static final String INSTALL = "install Node.js 18+ with npm (Debian: apt-get install nodejs npm)";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void theTypeScriptClientReceivesEveryErrorWithItsCodeMessageAndHint() throws Exception {
        TsHarness ts = TsHarness.installed();

        Path uploads = SampleTree.create(dir.resolve("uploads"), 2_000);
        try (Fixture f = new Fixture(dir, c -> c.directory("uploads", uploads, d -> d.store("local")))) {
            String id = f.seed(Instant.parse("2026-05-01T00:00:00Z"), "PGDMP-interop", "interop");
            String corrupt = f.seed(Instant.parse("2026-05-01T00:01:00Z"), "PGDMP-corrupt", null);
            f.corrupt(corrupt);
            BackupRecord tree = f.service.create(
                    new CreateBackupRequest("uploads", null, null, Map.of()), OperationContext.of("test", "interop"));
            String dirId = tree.manifest().id();
            Path live = Files.createDirectories(dir.resolve("live"));
            Files.writeString(live.resolve("newer.txt"), "newer");

            List<Map<String, Object>> calls = new ArrayList<>();
            // successes: structuredContent present and matching the success branch of the schema
            calls.add(call("list_databases", "list_databases", Map.of()));
            calls.add(call("backup_status", "backup_status", Map.of()));
            calls.add(call("list_backups", "list_backups", Map.of("database", "app")));
            calls.add(call("get_backup", "get_backup", Map.of("backup_id", id)));
            calls.add(call("verify_corrupt", "verify_backup", Map.of("backup_id", corrupt)));
            calls.add(call("delete_plan", "delete_backup", Map.of("backup_id", id)));
            // errors: the service's, the dispatcher's argument checks, tokens, integrity
            calls.add(call("NOT_FOUND", "get_backup", Map.of("backup_id", "app-20200101T000000Z-abcd")));
            calls.add(call("INVALID_ARGUMENT", "get_backup", Map.of("backup_id", "../../etc/passwd")));
            calls.add(call("INVALID_ARGUMENT", "list_backups", Map.of("host", "db.example.com")));
            calls.add(call("TOKEN_REJECTED", "delete_backup", Map.of("backup_id", id, "confirm_token", "nonsense")));
            calls.add(call(
                    "TOKEN_REJECTED",
                    "restore_over_existing",
                    Map.of("backup_id", dirId, "target_dir", live.toString(), "confirm_token", "nonsense")));
            calls.add(call(
                    "ALREADY_EXISTS", "restore_backup", Map.of("backup_id", dirId, "target_dir", live.toString())));
            calls.add(call(
                    "restore_plan",
                    "restore_over_existing",
                    Map.of("backup_id", dirId, "target_dir", live.toString())));
            calls.add(call("INTEGRITY_FAILED", "copy_backup", Map.of("backup_id", corrupt, "to_store", "vault")));
            calls.add(call("NOT_FOUND", "copy_backup", Map.of("backup_id", id, "to_store", "nowhere")));
            calls.add(call("DATABASE_UNREACHABLE", "create_backup", Map.of("database", "app")));

            Map<String, Object> server = server(f.configFile, f.env());
            JsonNode out = ts.run(dir.resolve("spec.json"), Map.of("server", server, "calls", calls));
            assertTalkedToTheServer(out);
            assertThat(out.path("sdkVersion").asString()).startsWith("1.");
            JsonNode results = out.path("results");
            assertThat(results).hasSize(calls.size());
            for (JsonNode r : results) {
                String label = r.path("label").asString();
                assertThat(r.has("mcpError"))
                        .as(label + " " + r.path("tool").asString() + ": the TS client threw " + r.path("mcpError"))
                        .isFalse();
                if (label.equals(label.toLowerCase(Locale.ROOT))) {
                    assertThat(r.path("isError").asBoolean()).as(r.toString()).isFalse();
                    assertThat(r.path("structuredContent").isObject())
                            .as(r.toString())
                            .isTrue();
                    assertThat(r.path("structuredContent").has("error"))
                            .as(r.toString())
                            .isFalse();
                    continue;
                }
                assertThat(r.path("isError").asBoolean()).as(r.toString()).isTrue();
                JsonNode error = r.path("structuredContent").path("error");
                assertThat(error.path("code").asString()).as(r.toString()).isEqualTo(label);
                String message = error.path("message").asString();
                String hint = error.path("hint").asString();
                assertThat(message).as(r.toString()).isNotBlank();
                assertThat(hint).as(r.toString() + " has a hint").isNotBlank();
                // the model reads the text: code, message and hint are all there too
                assertThat(r.path("text").asString()).isEqualTo(label + ": " + message + "\nHint: " + hint);
            }
            assertThat(out.path("tools")).hasSize(15);
            for (JsonNode tool : out.path("tools")) {
                assertThat(tool.path("outputSchema").path("properties").has("error"))
                        .as(tool.path("name").asString() + " declares the error result")
                        .isTrue();
            }
            assertThat(out.toString()).doesNotContain(McpToolsIT.CANARY);
        }
    }

    /**
     * A backup that outlives its 'wait', through the TS client: pg_dump is held by a lock another session
     * keeps on one of the database's tables (pg_dump waits for it, as behind a long transaction), so the
     * call is certainly still running when its wait ends. The lock is released once the client has the
     * 'running' answer, and a long-polling get_operation then returns the finished backup. A second
     * backup, of a database whose lock is never released, is cancelled with cancel_operation: it reports
     * CANCELLED and leaves nothing in the store, not even an empty folder.
     */
    @Test
    void aBackupOutlivesItsWaitIsFetchedLaterAndACancelledOneLeavesNothingInTheStore() throws Exception {
        TsHarness ts = TsHarness.installed();
        PgCluster pg = PgCluster.shared();
        AppAndHeld dbs = AppAndHeld.of(pg, dir, "tsslow", "tsheld");
        LiveService live = dbs.live();
        Path signals = Files.createDirectories(dir.resolve("signals"));

        List<Map<String, Object>> calls = new ArrayList<>();
        Map<String, Object> first =
                new LinkedHashMap<>(call("running", "create_backup", Map.of("database", "app", "wait", 1)));
        first.put("signal", "running-seen");
        calls.add(first);
        Map<String, Object> fetch = new LinkedHashMap<>(call("finished", "get_operation", Map.of("wait", 50)));
        fetch.put("operationFrom", "running");
        fetch.put("progress", true);
        calls.add(fetch);
        calls.add(call("held", "create_backup", Map.of("database", "held", "wait", 1)));
        Map<String, Object> cancel = new LinkedHashMap<>(call("cancelled", "cancel_operation", Map.of()));
        cancel.put("operationFrom", "held");
        calls.add(cancel);
        Map<String, Object> after = new LinkedHashMap<>(call("after_cancel", "get_operation", Map.of()));
        after.put("operationFrom", "held");
        calls.add(after);

        Map<String, Object> spec = Map.of("server", server(live), "calls", calls, "signalDir", signals.toString());

        JsonNode out;
        try (Connection slowLock = lockATable(pg, dbs.app());
                Connection heldLock = lockATable(pg, dbs.held())) {
            Thread releaser = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(80);
                while (!Files.exists(signals.resolve("running-seen")) && System.nanoTime() < deadline) {
                    sleep(50);
                }
                try {
                    slowLock.rollback(); // pg_dump of 'app' gets its lock and the backup finishes
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            releaser.start();
            out = ts.run(dir.resolve("spec-long.json"), spec);
            releaser.join(10_000);
        }
        Map<String, JsonNode> results = answers(out);
        JsonNode running = results.get("running");
        assertThat(running.path("isError").asBoolean()).as(running.toString()).isFalse();
        assertThat(running.at("/structuredContent/status").asString()).isEqualTo("running");
        String id = running.at("/structuredContent/operation_id").asString();
        assertThat(id).matches("op-[0-9a-f]{32}");
        assertThat(running.path("text").asString()).contains("get_operation");

        JsonNode finished = results.get("finished");
        assertThat(finished.path("isError").asBoolean()).as(finished.toString()).isFalse();
        assertThat(finished.at("/structuredContent/operation/operation_id").asString())
                .isEqualTo(id);
        assertThat(finished.at("/structuredContent/operation/state").asString()).isEqualTo("succeeded");
        assertThat(finished.at("/structuredContent/result/status").asString()).isEqualTo("created");
        assertThat(finished.at("/structuredContent/result/backup/database").asString())
                .isEqualTo("app");
        double last = -1;
        for (JsonNode p : finished.path("progress")) {
            assertThat(p.path("progress").asDouble())
                    .as(finished.path("progress").toString())
                    .isGreaterThan(last);
            last = p.path("progress").asDouble();
        }

        JsonNode held = results.get("held");
        assertThat(held.at("/structuredContent/status").asString())
                .as(held.toString())
                .isEqualTo("running");
        for (String label : List.of("cancelled", "after_cancel")) {
            JsonNode r = results.get(label);
            assertThat(r.path("isError").asBoolean()).as(r.toString()).isFalse();
            assertThat(r.at("/structuredContent/operation/state").asString())
                    .as(r.toString())
                    .isEqualTo("cancelled");
            assertThat(r.at("/structuredContent/operation/failure/code").asString())
                    .isEqualTo("CANCELLED");
        }
        Path store = live.storeDir("local");
        assertThat(store.resolve("held"))
                .as("a cancelled backup leaves nothing, not even a folder")
                .doesNotExist();
        try (var files = Files.walk(store)) {
            assertThat(files.filter(Files::isRegularFile).map(store::relativize).map(Path::toString))
                    .as("only the finished backup of 'app'")
                    .hasSize(2)
                    .allMatch(f -> f.startsWith("app/"));
        }
        assertThat(out.toString()).doesNotContain(pg.password());
    }

    /**
     * The dropped table, through the TS client as an agent would do it: get_backup lists what the backup
     * holds, restore_over_existing with the table answers with a plan and a token, and the call with the token
     * (made once the user approved) brings the table back into the live database with its index and
     * grant, while the rest of the database stays as it is.
     */
    @Test
    void aDroppedTableComesBackIntoTheLiveDatabaseWithOnePlanAndOneConfirmedCall() throws Exception {
        TsHarness ts = TsHarness.installed();
        PgCluster pg = PgCluster.shared();
        String db = SampleData.database(pg, "tstable", 50);
        String reader = PgCluster.uniqueName("reader");
        pg.execute("postgres", "CREATE ROLE " + reader);
        pg.execute(
                db,
                "CREATE TABLE public.customers (id int PRIMARY KEY, email text NOT NULL)",
                "CREATE UNIQUE INDEX customers_email ON public.customers (lower(email))",
                "GRANT SELECT ON public.customers TO " + reader,
                "INSERT INTO public.customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 120) g");
        LiveService live = app(pg, dir, db);
        String id = backup(live);
        var atBackup = pg.tableFingerprints(db);
        pg.execute(db, "DROP TABLE public.customers", "DELETE FROM public.numbers WHERE id <= 5");
        var others = pg.tableFingerprints(db);

        List<Map<String, Object>> calls = new ArrayList<>();
        calls.add(call("contents", "get_backup", Map.of("backup_id", id, "contents", true)));
        Map<String, Object> args = Map.of("backup_id", id, "mode", "replace", "tables", List.of("public.customers"));
        calls.add(call("plan", "restore_over_existing", args));
        calls.add(confirmed("restored", "restore_over_existing", args, "plan"));
        JsonNode out = ts.run(dir.resolve("spec-table.json"), Map.of("server", server(live), "calls", calls));

        Map<String, JsonNode> results = successes(out);
        assertThat(results.get("contents")
                        .at("/structuredContent/contents/tables")
                        .toString())
                .contains("\"customers\"");
        JsonNode plan = results.get("plan");
        assertThat(plan.at("/structuredContent/status").asString()).isEqualTo("confirmation_required");
        assertThat(plan.at("/structuredContent/plan/will_replace/0").asString())
                .startsWith("public.customers (not there now");
        JsonNode restored = results.get("restored");
        assertThat(restored.at("/structuredContent/status").asString())
                .as(restored.toString())
                .isEqualTo("restored");
        assertThat(restored.at("/structuredContent/result/tables/0").asString()).isEqualTo("public.customers");

        var now = pg.tableFingerprints(db);
        assertThat(now.get("public.customers")).isEqualTo(atBackup.get("public.customers"));
        assertThat(now.get("public.numbers")).isEqualTo(others.get("public.numbers"));
        assertThat(pg.queryValue(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'customers_email'"))
                .isEqualTo("1");
        assertThat(pg.queryValue(db, "SELECT has_table_privilege('" + reader + "', 'public.customers', 'SELECT')"))
                .isEqualTo("t");
        assertThat(out.toString()).doesNotContain(pg.password());
    }

    /**
     * A whole restore over a live database and its undo, through the TS client: each destructive call
     * answers with a plan and a token first, the confirmed calls swap the backup in and put the state
     * before back, and every answer passes the client's output-schema check.
     */
    @Test
    void replaceAndUndoThroughTheTypeScriptClient() throws Exception {
        TsHarness ts = TsHarness.installed();
        PgCluster pg = PgCluster.shared();
        ChangedSinceBackup backedUp = ChangedSinceBackup.of(
                pg,
                dir,
                "tsreplace",
                40,
                "CREATE TABLE public.added_later (x int)",
                "DELETE FROM public.numbers WHERE id <= 5");

        List<Map<String, Object>> calls = new ArrayList<>();
        // a restore drill first: its answer, the drill record, passes the client's output-schema check
        calls.add(call("drill", "drill_backup", Map.of("backup_id", backedUp.id(), "wait", 50)));
        Map<String, Object> replace = Map.of("backup_id", backedUp.id(), "mode", "replace");
        calls.add(call("plan", "restore_over_existing", replace));
        calls.add(confirmed("restored", "restore_over_existing", replace, "plan"));
        calls.add(call("undo_plan", "undo_restore", Map.of("database", "app")));
        calls.add(confirmed("undone", "undo_restore", Map.of("database", "app"), "undo_plan"));
        JsonNode out =
                ts.run(dir.resolve("spec-replace.json"), Map.of("server", server(backedUp.live()), "calls", calls));

        Map<String, JsonNode> results = successes(out);
        assertThat(results.get("drill").at("/structuredContent/passed").asBoolean())
                .as(results.get("drill").toString())
                .isTrue();
        assertThat(results.get("drill").at("/structuredContent/drill/result").asString())
                .isEqualTo("PASS");
        assertThat(results.get("plan").at("/structuredContent/status").asString())
                .isEqualTo("confirmation_required");
        assertThat(results.get("plan")
                        .at("/structuredContent/plan/only_in_target/0")
                        .asString())
                .isEqualTo("public.added_later");
        assertThat(results.get("restored").at("/structuredContent/status").asString())
                .isEqualTo("restored");
        assertThat(results.get("undo_plan").at("/structuredContent/status").asString())
                .isEqualTo("confirmation_required");
        assertThat(results.get("undone").at("/structuredContent/status").asString())
                .isEqualTo("undone");
        assertThat(pg.tableFingerprints(backedUp.db()))
                .isEqualTo(backedUp.changed())
                .isNotEqualTo(backedUp.atBackup());
        assertThat(out.toString()).doesNotContain(pg.password());
    }

    /** A session holding an ACCESS EXCLUSIVE lock on one table of {@code db} until rolled back or closed. */
    static Connection lockATable(PgCluster pg, String db) throws java.sql.SQLException {
        Connection c = pg.connect(db);
        c.setAutoCommit(false);
        try (var st = c.createStatement()) {
            st.execute("LOCK TABLE public.numbers IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The call {@code label}, confirmed with the token the answer to call {@code tokenFrom} carried. */
    static Map<String, Object> confirmed(String label, String tool, Map<String, Object> arguments, String tokenFrom) {
        Map<String, Object> confirmed = new LinkedHashMap<>(call(label, tool, arguments));
        confirmed.put("tokenFrom", tokenFrom);
        return confirmed;
    }

    static Map<String, Object> call(String label, String tool, Map<String, Object> arguments) {
        return Map.of("label", label, "tool", tool, "arguments", arguments);
    }

    /** node or npm on PATH; absent: skipped, or a failure when interop is required. */
    static Path executable(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (d.isEmpty()) {
                    continue;
                }
                Path p = Path.of(d, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        unavailable("'" + name + "' is not on PATH");
        return null; // not reached
    }

    static boolean required() {
        String env = System.getenv(REQUIRED_ENV);
        boolean byEnv = env != null && (env.equals("1") || env.equalsIgnoreCase("true"));
        return Boolean.parseBoolean(System.getProperty(REQUIRED_PROPERTY, String.valueOf(byEnv)));
    }

    /** Skips the test with what to install, or fails it when interop is required. */
    static void unavailable(String why) {
        String message = "MCP client interop test (Node.js) not run: " + why + "; " + INSTALL + ".";
        if (required()) {
            fail(message + " It is required here (" + REQUIRED_PROPERTY + "=true or " + REQUIRED_ENV + "=1).");
        }
        message += " (Set " + REQUIRED_ENV + "=1 to make this a failure.)";
        System.err.println("SKIPPED: " + message); // the build log shows no reason for a skip otherwise
        Assumptions.abort(message);
    }

    /** node, 18 or newer (the MCP TypeScript SDK's minimum); absent or older: skipped, or a failure when required. */
    static Path node() throws Exception {
        Path node = executable("node");
        if (nodeMajor(node) < 18) {
            unavailable("node at " + node + " is too old for the MCP TypeScript SDK");
        }
        return node;
    }

    /** A backup of "app" taken through the service before the client starts; its id. */
    static String backup(LiveService live) {
        try (var service = live.open()) {
            return service.create(
                            new CreateBackupRequest("app", null, null, Map.of()), OperationContext.of("test", "ts"))
                    .manifest()
                    .id();
        }
    }

    /** A service over the database 'app', storing in 'local'. */
    static LiveService app(PgCluster pg, Path dir, String db) {
        return LiveService.over(pg, dir.resolve("live")).database("app", db).store("local");
    }

    /**
     * Two fresh sample databases of 20 rows and a service over them as 'app' and 'held' (the one a test
     * keeps locked), storing in 'local'.
     */
    record AppAndHeld(String app, String held, LiveService live) {
        static AppAndHeld of(PgCluster pg, Path dir, String appPrefix, String heldPrefix) {
            String app = SampleData.database(pg, appPrefix, 20);
            String held = SampleData.database(pg, heldPrefix, 20);
            return new AppAndHeld(
                    app,
                    held,
                    LiveService.over(pg, dir.resolve("live"))
                            .database("app", app)
                            .database("held", held)
                            .store("local"));
        }
    }

    /**
     * A fresh sample database as 'app' ({@link #app}), a backup of it, and the {@code changes} made to it
     * since: its tables' fingerprints at the backup and after the changes.
     */
    record ChangedSinceBackup(
            String db,
            LiveService live,
            String id,
            Map<String, TableFingerprint> atBackup,
            Map<String, TableFingerprint> changed) {
        static ChangedSinceBackup of(PgCluster pg, Path dir, String prefix, int rows, String... changes) {
            String db = SampleData.database(pg, prefix, rows);
            LiveService live = app(pg, dir, db);
            String id = backup(live);
            Map<String, TableFingerprint> atBackup = pg.tableFingerprints(db);
            pg.execute(db, changes);
            return new ChangedSinceBackup(db, live, id, atBackup, pg.tableFingerprints(db));
        }
    }

    /** How the script reaches a server this test started over Streamable HTTP, with the full-scope token. */
    static Map<String, Object> server(dev.lifeboat.mcp.transport.JettyMcpHttpServer http) {
        return Map.of("url", "http://127.0.0.1:" + http.port() + "/mcp", "token", HttpSecurityTest.FULL);
    }

    /**
     * How the script starts the server over {@code live}: the launcher for its configuration, written as
     * {@code lifeboat.yaml}, with its environment.
     */
    static Map<String, Object> server(LiveService live) {
        return server(live.write(), live.env());
    }

    /** How the script starts the server: the launcher for {@code config}, with {@code env}. */
    static Map<String, Object> server(Path config, Map<String, String> env) {
        Map<String, Object> server = new LinkedHashMap<>();
        List<String> command = McpClients.serverCommand(config);
        server.put("command", command.get(0));
        server.put("args", command.subList(1, command.size()));
        server.put("env", env);
        return server;
    }

    /** The script's results by label, each an answer the client accepted that is not an error. */
    static Map<String, JsonNode> successes(JsonNode out) {
        Map<String, JsonNode> results = answers(out);
        results.values()
                .forEach(r -> assertThat(r.path("isError").asBoolean())
                        .as(r.toString())
                        .isFalse());
        return results;
    }

    /** The script's results by label, each an answer the client accepted (a tool's error result too). */
    static Map<String, JsonNode> answers(JsonNode out) {
        assertTalkedToTheServer(out);
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (JsonNode r : out.path("results")) {
            assertThat(r.has("mcpError"))
                    .as(r.path("label").asString() + ": the TS client threw " + r.path("mcpError") + " in " + r)
                    .isFalse();
            results.put(r.path("label").asString(), r);
        }
        return results;
    }

    /** Asserts that the TS client's run {@code out} reached the server (no fatal error before its calls). */
    static void assertTalkedToTheServer(JsonNode out) {
        assertThat(out.path("fatal").isMissingNode())
                .as("the TS client could not talk to the server: " + out.path("fatal"))
                .isTrue();
    }

    static int nodeMajor(Path node) throws Exception {
        return nodeVersion(node) / 1000;
    }

    /** major * 1000 + minor of a node binary, 0 when it does not say. */
    static int nodeVersion(Path node) throws Exception {
        Process p = new ProcessBuilder(node.toString(), "--version")
                .redirectErrorStream(true)
                .start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("^v(\\d+)\\.(\\d+)\\.").matcher(v);
        return m.find() ? Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2)) : 0;
    }

    /**
     * The harness in {@code target/ts-interop}, its packages installed by {@code npm ci} when the
     * lockfile or package.json changed since the last install (or never ran).
     */
    static Path install(Path npm) throws Exception {
        Path source = Path.of(System.getProperty("basedir", ".")).resolve("src/test/node");
        Path work = Path.of(System.getProperty("basedir", ".")).resolve("target/ts-interop");
        Files.createDirectories(work);
        for (String file : List.of(
                "package.json",
                "package-lock.json",
                "ts-client-interop.mjs",
                "ts-client-tasks.mjs",
                "transport.mjs",
                "conformance-expected-failures.yml")) {
            Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        String stamp = sha256(work.resolve("package.json"), work.resolve("package-lock.json"));
        Path installed = work.resolve(".installed");
        if (Files.isDirectory(work.resolve("node_modules/@modelcontextprotocol/sdk"))
                && Files.isRegularFile(installed)
                && Files.readString(installed).equals(stamp)) {
            return work;
        }
        Files.deleteIfExists(installed);
        Path log = work.resolve("npm-ci.log");
        ProcessBuilder pb = new ProcessBuilder(
                        npm.toString(),
                        "ci",
                        "--ignore-scripts", // none is needed; npm 9 (Debian) would run the Inspector's no-op one
                        "--no-audit",
                        "--no-fund",
                        "--prefer-offline",
                        "--loglevel=warn")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("npm_config_update_notifier", "false");
        Process p = pb.start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        if (!done || p.exitValue() != 0) {
            unavailable("'npm ci' in " + work + " failed (" + (done ? "exit " + p.exitValue() : "timed out")
                    + "); its output:\n" + tail(log));
        }
        Files.writeString(installed, stamp);
        return work;
    }

    /** Runs the harness; its stdout is one JSON document, its stderr (the server's log) goes to a file. */
    /** Runs one of the harness's scripts; its stdout is one JSON document, its stderr goes to a file. */
    static JsonNode run(Path work, Path node, String script, Path spec) throws Exception {
        Path stdout = work.resolve("last-run.json");
        Path stderr = work.resolve("last-run.stderr.txt");
        Process p = new ProcessBuilder(node.toString(), script, spec.toString())
                .directory(work.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the TS client harness did not finish in 90 s; its stderr:\n" + tail(stderr));
        }
        String json = Files.readString(stdout);
        assertThat(json).as("harness output; its stderr:\n" + tail(stderr)).isNotBlank();
        return JSON.readTree(json);
    }

    static String sha256(Path... files) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (Path f : files) {
            md.update(Files.readAllBytes(f));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")";
        }
    }
}
