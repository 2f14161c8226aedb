package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code lifeboat schedule run} as a user runs it: the shaded jar in its own JVM against a real
 * PostgreSQL, stopped with SIGTERM as systemd, Kubernetes or {@code kill} stop it. A schedule that never
 * ran runs its latest slot at start-up, so no test waits for a minute boundary.
 */
class ScheduleRunIT {
    private final PgCluster cluster = PgCluster.shared();

    @TempDir
    Path dir;

    private LiveService live(String db) {
        return live(db, "");
    }

    private LiveService live(String db, String moreYaml) {
        return LiveService.over(PgCluster.shared(), dir)
                .database("app", db)
                .store("local")
                .config(c ->
                        c.raw("schedules:\n  nightly: {cron: '15 2 * * *', time_zone: Europe/Berlin, database: app,"
                                + " verify: archive}\n" + moreYaml));
    }

    @Test
    void scheduleRunRunsTheMissedBackupAndStopsCleanlyOnSigterm() throws Exception {
        String db = SampleData.database(PgCluster.shared(), "sched_run", 50);
        LiveService live = live(db);
        Path config = live.write();
        Running run = start(live.env(), "schedule", "run", "--json", "--config", config.toString());
        JsonNode finished = run.awaitEvent("finished", Duration.ofSeconds(120));
        JsonNode result = finished.get("result");
        assertThat(result.get("status").asString()).as(finished.toString()).isEqualTo("OK");
        assertThat(result.get("steps").toString()).contains("\"action\":\"backup\"", "\"action\":\"verify\"");
        assertThat(run.events().get(0).get("type").asString()).isEqualTo("WATCHING");
        assertThat(run.events().get(1).get("message").asString()).contains("no run recorded");

        sigterm(run.process());
        assertThat(run.process().waitFor(30, TimeUnit.SECONDS))
                .as("stopped within 30 s")
                .isTrue();
        // the JVM's own answer to SIGTERM: 128 + 15, after the scheduler stopped cleanly
        assertThat(run.process().exitValue()).isEqualTo(143);
        assertThat(run.types()).as(stderr() + run.events()).contains("STOPPING", "STOPPED");

        String id = result.get("backup_ids").get(0).asString();
        ShadedJar.Run list = lifeboat(live.env(), "backup", "list", "--json", "--config", config.toString());
        JsonNode backups = Json.mapper().readTree(list.out()).get("backups");
        assertThat(backups.size()).as(list.out()).isEqualTo(1);
        assertThat(backups.get(0).at("/manifest/id").asString()).isEqualTo(id);
        assertThat(backups.get(0).at("/manifest/tags/lifeboat.schedule").asString())
                .isEqualTo("nightly");
        assertThat(Json.mapper().readTree(list.out()).has("leftovers"))
                .as(list.out())
                .isFalse();

        // a second start finds the slot done: nothing runs, and list says when it last ran
        ShadedJar.Run again =
                lifeboat(live.env(), "schedule", "run-once", "nightly", "--json", "--config", config.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Json.mapper().readTree(again.out()).get("status").asString()).isEqualTo("SKIPPED");
        ShadedJar.Run listed = lifeboat(live.env(), "schedule", "list", "--config", config.toString());
        assertThat(listed.out()).contains("nightly", "15 2 * * *", "Europe/Berlin", "database app", "ok on ");
    }

    @Test
    void sigtermDuringABackupCancelsItCleanlyAndTheSlotRunsAtTheNextStart() throws Exception {
        String db = SampleData.database(cluster, "sched_term", 50);
        LiveService live = live(db);
        Path config = live.write();
        Running run = stoppedWhilePgDumpWaits(
                db, () -> start(live.env(), "schedule", "run", "--json", "--config", config.toString()));
        assertThat(run.types()).as(stderr() + run.events()).contains("STARTED", "FAILED", "STOPPED");
        assertThat(run.events().stream()
                        .filter(e -> e.get("type").asString().equals("FAILED"))
                        .findFirst()
                        .orElseThrow()
                        .get("message")
                        .asString())
                .contains("cancelled; the slot runs again at the next start");
        // nothing half-written, no claim left behind
        try (Stream<Path> files = Files.walk(live.storeDir("local"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        assertThat(Files.readString(live.stateDir().resolve("audit.jsonl"))).contains("\"error_code\":\"CANCELLED\"");

        ShadedJar.Run once = lifeboat(live.env(), "schedule", "run-once", "nightly", "--config", config.toString());
        assertThat(once.exitCode()).as(once.all()).isZero();
        assertThat(once.out()).contains("nightly: slot ", " ok", "backup app: app-");
    }

    /**
     * A worker killed with -9 mid-backup cannot give its slot back: its claim stays while its lease
     * runs (15 s here), and once that lapses the next run-once takes the slot over and runs it.
     */
    @Test
    void aSlotWhoseWorkerWasKilledIsTakenOverOnceItsLeaseLapses() throws Exception {
        String db = SampleData.database(cluster, "sched_kill", 50);
        LiveService live = LiveService.over(cluster, dir)
                .database("app", db)
                .store("local")
                .config(c ->
                        c.raw("schedules:\n  nightly: {cron: '15 2 * * *', time_zone: Europe/Berlin, database: app,"
                                + " lease: 15s}\n"));
        Path config = live.write();
        Running killed;
        ProcessHandle pgDump;
        try (Connection locker = cluster.lockFirstTable(db)) {
            killed = start(live.env(), "schedule", "run-once", "nightly", "--json", "--config", config.toString());
            pgDump = awaitChild(killed.process(), "pg_dump");
            killed.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            assertThat(killed.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            locker.rollback();
        }
        pgDump.onExit().get(10, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();

        ShadedJar.Run blocked =
                lifeboat(live.env(), "schedule", "run-once", "nightly", "--json", "--config", config.toString());
        assertThat(blocked.exitCode()).as(blocked.all()).isZero();
        JsonNode skipped = Json.mapper().readTree(blocked.out());
        assertThat(skipped.get("status").asString()).isEqualTo("SKIPPED");
        assertThat(skipped.get("steps").get(0).get("message").asString()).contains("was taken by ");

        long waitMillis = 16_000 - (System.nanoTime() - killedAt) / 1_000_000;
        if (waitMillis > 0) {
            Thread.sleep(waitMillis);
        }
        ShadedJar.Run taken =
                lifeboat(live.env(), "schedule", "run-once", "nightly", "--json", "--config", config.toString());
        assertThat(taken.exitCode()).as(taken.all()).isZero();
        JsonNode ok = Json.mapper().readTree(taken.out());
        assertThat(ok.get("status").asString()).as(taken.out()).isEqualTo("OK");
        assertThat(ok.get("steps").get(0).get("message").asString())
                .contains("taken over from ")
                .contains("15 s lease");
        try (Stream<Path> files = Files.walk(live.storeDir("local").resolve("_lifeboat"))) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString()))
                    .contains("claim.json", "takeover-1.json", "done.json");
        }
    }

    @Test
    void theHttpServerRunsTheSchedulesBesideItsToolsAndStopsThemCleanlyOnSigterm() throws Exception {
        String db = SampleData.database(PgCluster.shared(), "sched_mcp", 50);
        LiveService live = live(db, "mcp:\n  allow_unauthenticated_local: true\n");
        Path config = live.write();
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Running server = start(
                live.env(),
                "mcp",
                "serve",
                "--transport",
                "http",
                "--port",
                Integer.toString(port),
                "--schedules",
                "--config",
                config.toString());
        String finished = awaitStderr("schedule finished: (.*)", Duration.ofSeconds(120));
        assertThat(finished).contains("nightly: slot ", " ok", "backup app: app-", "verify app-");
        assertThat(stderr()).contains("schedule watching: nightly (15 2 * * *", "no run recorded");
        assertThat(stderr())
                .as("the port is printed without --verbose")
                .contains("listening on http://127.0.0.1:" + port);

        // the same process answers as a server meanwhile: its /metrics shows the scheduled backup
        java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("lifeboat_backup_last_success_timestamp_seconds{kind=\"database\",source=\"app\"}");

        sigterm(server.process());
        assertThat(server.process().waitFor(30, TimeUnit.SECONDS))
                .as("stopped within 30 s")
                .isTrue();
        assertThat(server.process().exitValue()).isEqualTo(143);
        assertThat(stderr()).contains("schedule stopping: ", "schedule stopped: stopped");
        ShadedJar.Run listed = lifeboat(live.env(), "schedule", "list", "--config", config.toString());
        assertThat(listed.out()).contains("nightly", "ok on ");
    }

    @Test
    void sigtermToTheServerDuringAScheduledBackupCancelsItAndGivesTheSlotBack() throws Exception {
        String db = SampleData.database(cluster, "sched_mcp_term", 50);
        LiveService live = live(db, "mcp:\n  port: 0\n  allow_unauthenticated_local: true\n");
        Path config = live.write();
        stoppedWhilePgDumpWaits(
                db,
                () -> start(
                        live.env(),
                        "mcp",
                        "serve",
                        "--transport",
                        "http",
                        "--schedules",
                        "--config",
                        config.toString()));
        assertThat(stderr()).contains("cancelled; the slot runs again at the next start", "schedule stopped: stopped");
        try (Stream<Path> files = Files.walk(live.storeDir("local"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    @Test
    void schedulesInAStdioServerAreRefused() throws Exception {
        LiveService live = live(SampleData.database(cluster, "sched_stdio", 5));
        Path config = live.write();
        ShadedJar.Run r = lifeboat(live.env(), "mcp", "serve", "--schedules", "--config", config.toString());
        assertThat(r.exitCode()).as(r.all()).isNotZero();
        assertThat(r.err()).contains("--schedules needs --transport http");
    }

    /**
     * Starts {@code command} while a lock on a table of {@code db} holds pg_dump, sends it SIGTERM once
     * pg_dump waits, and checks that it stopped within 30 s and took pg_dump with it.
     */
    private Running stoppedWhilePgDumpWaits(String db, java.util.concurrent.Callable<Running> command)
            throws Exception {
        Running run;
        ProcessHandle pgDump;
        try (Connection locker = cluster.lockFirstTable(db)) {
            run = command.call();
            pgDump = awaitChild(run.process(), "pg_dump");
            sigterm(run.process());
            assertThat(run.process().waitFor(30, TimeUnit.SECONDS))
                    .as("stopped within 30 s")
                    .isTrue();
            locker.rollback();
        }
        pgDump.onExit().get(10, TimeUnit.SECONDS);
        assertThat(pgDump.isAlive()).isFalse();
        return run;
    }

    /** The first group of the first stderr line matching {@code regex}, waiting for it. */
    private String awaitStderr(String regex, Duration within) throws Exception {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            java.util.regex.Matcher m = p.matcher(stderr());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line matching " + regex + " in:\n" + stderr());
    }

    private record Running(Process process, Thread reader, List<JsonNode> log, LinkedBlockingQueue<JsonNode> queue) {
        /** Waits for the process to exit and for every line it printed to be read. */
        boolean awaitExit(Duration within) throws InterruptedException {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
            reader.join(10_000);
            return true;
        }

        JsonNode awaitEvent(String type, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode e = queue.poll(200, TimeUnit.MILLISECONDS);
                if (e != null && e.get("type").asString().equalsIgnoreCase(type)) {
                    return e;
                }
                if (e == null && !process.isAlive()) {
                    break;
                }
            }
            throw new AssertionError("no " + type + " event; saw " + log);
        }

        List<String> types() {
            synchronized (log) {
                return log.stream().map(e -> e.get("type").asString()).toList();
            }
        }

        List<JsonNode> events() {
            synchronized (log) {
                return List.copyOf(log);
            }
        }
    }

    private Running start(Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = ShadedJar.command(withPath(env), args)
                .redirectError(dir.resolve("schedule-run.err").toFile());
        Process p = pb.start();
        List<JsonNode> events = java.util.Collections.synchronizedList(new ArrayList<>());
        LinkedBlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode e;
                    try {
                        e = Json.mapper().readTree(line);
                    } catch (RuntimeException notJson) {
                        // keep it, so a failure shows what was printed
                        e = Json.mapper()
                                .createObjectNode()
                                .put("type", "NOT_JSON")
                                .put("message", line);
                    }
                    events.add(e);
                    queue.add(e);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Running(p, reader, events, queue);
    }

    /**
     * SIGTERM, as systemd and Kubernetes send it. Not {@code Process.destroy()}: that also closes this
     * side's pipes, and the scheduler's last lines would be lost.
     */
    private static void sigterm(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** What the scheduler printed on stderr (logs, warnings), to explain a failure. */
    private String stderr() throws IOException {
        Path f = dir.resolve("schedule-run.err");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** The jar run to its end, with PATH for the PostgreSQL tools. */
    private static ShadedJar.Run lifeboat(Map<String, String> env, String... args) throws Exception {
        return ShadedJar.run(withPath(env), args);
    }

    private static Map<String, String> withPath(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("PATH", System.getenv("PATH"));
        return all;
    }

    private static ProcessHandle awaitChild(Process parent, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && parent.isAlive()) {
            var found = parent.descendants()
                    .filter(h ->
                            h.info().command().map(c -> c.endsWith("/" + name)).orElse(false))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("Lifeboat started no " + name);
    }
}
