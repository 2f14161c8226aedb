package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.cli.ShadedJar.Run;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@code kill -9} of the shaded jar (the JVM a user runs) leaves behind. Each test holds the
 * child tool on a table lock, so that without Lifeboat's watchdog it would wait for the lock, and
 * then go on writing, long after Lifeboat died.
 */
class KilledRunIT {
    private static final Duration CHILD_GONE_WITHIN = Duration.ofSeconds(5);

    private final PgCluster cluster = PgCluster.shared();

    @TempDir
    Path home;

    @Test
    void aKilledBackupTakesItsPgDumpDownAndLeavesNothingListed() throws Exception {
        String db = SampleData.bulkDatabase(cluster, "kill_dump", 4);
        Map<String, String> env = libpqEnv(db);

        try (Connection locker = cluster.lockFirstTable(db)) {
            Process lifeboat = start(env, "backup", "create");
            ProcessHandle pgDump = awaitChild(lifeboat, "pg_dump");

            lifeboat.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            assertThat(lifeboat.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertGoneWithinSeconds(pgDump);
            locker.rollback();
        }
        Run list = lifeboat(env, "backup", "list", "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(Json.mapper().readTree(list.out()).get("backups").isEmpty())
                .as(list.out())
                .isTrue();
    }

    /**
     * kill -9 at each stage of a backup, one after another into the same store and state: before the
     * dump starts, while pg_dump waits for a lock, while the upload writes. Each time: no pg_dump left,
     * nothing listed; at the end gc leaves the store and the state directory as a clean run would.
     */
    @Test
    void backupsKilledAtEveryStageLeaveNoChildNothingListedAndNothingAfterGc() throws Exception {
        String db = SampleData.bulkDatabase(cluster, "kill_stages", 16);
        Map<String, String> env = libpqEnv(db);

        // 1: as soon as the JVM is up (before or while it connects)
        Process early = start(env, "backup", "create");
        Thread.sleep(300);
        early.destroyForcibly();
        assertThat(early.waitFor(10, TimeUnit.SECONDS)).isTrue();
        // 2: pg_dump started and waiting for a lock
        try (Connection locker = cluster.lockFirstTable(db)) {
            Process waiting = start(env, "backup", "create");
            ProcessHandle pgDump = awaitChild(waiting, "pg_dump");
            waiting.destroyForcibly();
            assertGoneWithinSeconds(pgDump);
            locker.rollback();
        }
        // 3: mid-upload
        Process uploading = start(env, "backup", "create", "--compression", "none");
        await(() -> files(storeRoot(), ".lifeboat-tmp-").stream()
                .filter(f -> size(f) > 0)
                .findFirst()
                .orElse(null));
        ProcessHandle pgDump = awaitChild(uploading, "pg_dump");
        uploading.destroyForcibly();
        assertGoneWithinSeconds(pgDump);

        Run list = lifeboat(env, "backup", "list", "--json");
        assertThat(Json.mapper().readTree(list.out()).get("backups").isEmpty())
                .as(list.out())
                .isTrue();
        Run dry = lifeboat(env, "gc", "--json");
        var plan = Json.mapper().readTree(dry.out()).get("plan");
        assertThat(plan.get("unfinished_runs").size()).as(dry.out()).isBetween(2, 3);
        Run gc = lifeboat(
                env, "gc", "--confirm", plan.get("confirmation").get("token").asString());
        assertThat(gc.exitCode()).as(gc.err()).isZero();

        assertThat(files(storeRoot(), "")).as("the store after gc").isEmpty();
        assertThat(files(stateDir().resolve("run"), "")).isEmpty();
        assertThat(files(stateDir().resolve("spool"), "")).isEmpty();
        // and a backup after all that is whole
        Run created = lifeboat(env, "backup", "create");
        assertThat(created.exitCode()).as(created.err()).isZero();
    }

    @Test
    void aBackupKilledDuringItsUploadLeavesAPartialFileThatListMentionsAndGcRemoves() throws Exception {
        String db = SampleData.bulkDatabase(cluster, "kill_upload", 32);
        Map<String, String> env = libpqEnv(db);

        Process lifeboat = start(env, "backup", "create", "--compression", "none");
        Path partial = await(() -> files(storeRoot(), ".lifeboat-tmp-").stream()
                .filter(f -> size(f) > 0)
                .findFirst()
                .orElse(null));
        assertThat(files(stateDir().resolve("run"), "lifeboat-pgpass-"))
                .as("pg_dump's passfile")
                .isNotEmpty();
        lifeboat.destroyForcibly();
        assertThat(lifeboat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(partial).exists();

        // nothing half-written is listed; that something was left is said
        Run list = lifeboat(env, "backup", "list", "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        var listed = Json.mapper().readTree(list.out());
        assertThat(listed.get("backups").isEmpty()).as(list.out()).isTrue();
        assertThat(listed.get("leftovers").asInt()).as(list.out()).isEqualTo(2); // the partial dump, the passfile
        assertThat(list.err()).contains("lifeboat gc");

        // gc: a dry run naming them and the killed run, then its token removes them
        Run dry = lifeboat(env, "gc", "--json");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        var plan = Json.mapper().readTree(dry.out());
        assertThat(plan.get("status").asString()).isEqualTo("planned");
        assertThat(plan.get("plan").get("items").toString())
                .contains("temporary_object")
                .contains("passfile")
                .contains(partial.getFileName().toString());
        assertThat(plan.get("plan")
                        .get("unfinished_runs")
                        .get(0)
                        .get("operation")
                        .asString())
                .isEqualTo("create");
        assertThat(partial).exists();
        String token = plan.get("plan").get("confirmation").get("token").asString();
        Run gc = lifeboat(env, "gc", "--confirm", token, "--json");
        assertThat(gc.exitCode()).as(gc.err()).isZero();

        assertThat(partial).doesNotExist();
        assertThat(files(stateDir().resolve("run"), "")).isEmpty();
        Run after = lifeboat(env, "backup", "list", "--json");
        assertThat(Json.mapper().readTree(after.out()).has("leftovers"))
                .as(after.out())
                .isFalse();
        Run again = lifeboat(env, "gc", "--json");
        assertThat(Json.mapper().readTree(again.out()).get("status").asString()).isEqualTo("nothing_left_over");
        assertThat(Files.readString(stateDir().resolve("audit.jsonl"))).contains("\"outcome\":\"abandoned\"");
    }

    @Test
    void aKilledCleanRestoreTakesItsPgRestoreDownAndTheTargetIsAsItWasWithNothingDecodedOnDisk() throws Exception {
        String db = SampleData.database(cluster, "kill_restore", 200);
        Map<String, String> env = libpqEnv(db);
        // a zstd backup: a clean restore streams it from the store into pg_restore, decompressed on the way
        Run created = lifeboat(env, "backup", "create", "--compression", "zstd");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String id = created.out().split("\\s+")[1];
        // without the safety backup, whose pg_dump the lock below would hold before pg_restore starts
        Run plan = lifeboat(env, "restore", id, "--clean", "--no-safety-backup");
        Matcher token = Pattern.compile("--confirm (\\S+)").matcher(plan.out());
        assertThat(token.find()).as(plan.out()).isTrue();
        var before = cluster.tableFingerprints(db);

        try (Connection locker = cluster.lockFirstTable(db)) {
            Process lifeboat = start(env, "restore", id, "--clean", "--no-safety-backup", "--confirm", token.group(1));
            // the pg_restore that restores (it names the database), not the one that lists the archive's head
            ProcessHandle pgRestore = awaitChild(lifeboat, "pg_restore", "--dbname");
            assertThat(files(stateDir().resolve("spool"), ""))
                    .as("streamed: no decompressed copy of the dump on disk")
                    .isEmpty();

            lifeboat.destroyForcibly();
            assertThat(lifeboat.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertGoneWithinSeconds(pgRestore);
            locker.rollback();
        }
        // pg_restore ran in one transaction: killed, it changed nothing
        assertThat(cluster.tableFingerprints(db)).isEqualTo(before);
        assertThat(files(stateDir().resolve("spool"), "")).isEmpty();

        // the killed run is in the audit log as started and never finished; the passfile its pg_restore
        // read (a kill -9 runs no cleanup) is named by gc, whose token removes it
        Run dry = lifeboat(env, "gc", "--json");
        var leftovers = Json.mapper().readTree(dry.out()).get("plan");
        assertThat(leftovers.get("unfinished_runs").toString()).contains("restore:clean");
        assertThat(leftovers.get("items").toString()).contains("passfile");
        Run gc = lifeboat(
                env,
                "gc",
                "--confirm",
                leftovers.get("confirmation").get("token").asString(),
                "--json");
        assertThat(gc.exitCode()).as(gc.err()).isZero();
        assertThat(files(stateDir().resolve("run"), "")).isEmpty();
    }

    private Path stateDir() {
        return home.resolve(".local/state/lifeboat");
    }

    private Path storeRoot() {
        return home.resolve(".local/share/lifeboat/backups");
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static <T> T await(java.util.function.Supplier<T> found) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            T t = found.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("not found in time");
    }

    /** The regular files under {@code dir} (any depth) whose names start with {@code prefix}. */
    private static List<Path> files(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith(prefix))
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // a file went while we walked: look again
        }
    }

    private static void assertGoneWithinSeconds(ProcessHandle child) throws Exception {
        try {
            child.onExit().get(CHILD_GONE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // fall through to the assertion, which names the process
        }
        assertThat(child.isAlive())
                .as(
                        "%s (pid %d) still runs after Lifeboat was killed",
                        child.info().command().orElse("?"), child.pid())
                .isFalse();
    }

    private Map<String, String> libpqEnv(String db) {
        return ShadedJar.libpqEnv(home, cluster, db, cluster.password());
    }

    private static Process start(Map<String, String> env, String... args) throws IOException {
        return ShadedJar.command(env, args)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static Run lifeboat(Map<String, String> env, String... args) throws Exception {
        return ShadedJar.run(env, args);
    }

    private static ProcessHandle awaitChild(Process parent, String name) throws InterruptedException {
        return awaitChild(parent, name, "");
    }

    /** As above, for the child one of whose arguments starts with {@code argumentPrefix}. */
    private static ProcessHandle awaitChild(Process parent, String name, String argumentPrefix)
            throws InterruptedException {
        ProcessHandle child = ShadedJar.awaitChild(parent, name, argumentPrefix, Duration.ofSeconds(60));
        if (child == null) {
            throw new AssertionError("Lifeboat started no " + name);
        }
        return child;
    }
}
