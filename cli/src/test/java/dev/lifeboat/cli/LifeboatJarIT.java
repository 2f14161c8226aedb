package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.cli.ShadedJar.Run;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as a user runs it (what bin/lifeboat execs): a separate JVM with only the libpq
 * environment, no config file (the embedded defaults), no terminal.
 */
class LifeboatJarIT {
    private final PgCluster cluster = PgCluster.shared();

    @TempDir
    Path home;

    private final List<Run> runs = new ArrayList<>();

    @Test
    void quickStartOnTheEmbeddedDefaultsBacksUpListsAndRefusesAnUnconfirmedCleanRestore() throws Exception {
        String db = SampleData.database(cluster, "jar_src", 100);
        Map<String, String> env = libpqEnv(db, cluster.password());

        Run created = lifeboat(env, "backup", "create");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).startsWith("created ");
        String id = created.out().split("\\s+")[1];

        Run list = lifeboat(env, "backup", "list", "--json");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("\"id\" : \"" + id + "\"");
        assertThat(home.resolve(".local/share/lifeboat/backups")).isDirectory();

        var before = cluster.tableFingerprints(db);
        Run clean = lifeboat(env, "restore", id, "--clean");
        assertThat(clean.exitCode()).as(clean.err()).isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(clean.out()).contains("--confirm ");
        assertThat(cluster.tableFingerprints(db)).isEqualTo(before);

        String wrong = "Wrong-" + cluster.password();
        Run refused = lifeboat(libpqEnv(db, wrong), "backup", "create", "--verbose");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCodes.DATABASE_UNREACHABLE);
        assertThat(refused.err()).startsWith("error: DATABASE_UNREACHABLE: ");
        assertThat(refused.out() + refused.err()).doesNotContain(wrong);

        for (Run r : runs) {
            assertThat(r.out() + r.err()).doesNotContain(cluster.password());
        }
    }

    @Test
    void theShadedJarCompressesWithZstdAndRestoresWithParallelJobs() throws Exception {
        String db = SampleData.database(cluster, "jar_zstd", 100);
        Map<String, String> env = libpqEnv(db, cluster.password());

        // zstd-jni's native library must load from inside the shaded jar
        Run created = lifeboat(env, "backup", "create", "--compression", "zstd", "--json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        var manifest =
                dev.lifeboat.core.base.Json.mapper().readTree(created.out()).get("manifest");
        assertThat(manifest.get("compression").asString()).isEqualTo("zstd");
        String id = manifest.get("id").asString();

        String target = "jar_zstd_restored_" + ProcessHandle.current().pid();
        Run restored = lifeboat(env, "restore", id, "--target-database", target, "--jobs", "2");
        assertThat(restored.exitCode()).as(restored.err()).isZero();
        assertThat(restored.out()).contains("jobs       2");
        assertThat(cluster.tableFingerprints(target)).isEqualTo(cluster.tableFingerprints(db));

        Run bad = lifeboat(env, "backup", "create", "--compression", "lz4");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("unknown compression 'lz4'");
    }

    @Test
    void ctrlCStopsABackupExitsWith130AndLeavesNothingBehind() throws Exception {
        String db = SampleData.bulkDatabase(cluster, "jar_cancel", 48);
        Map<String, String> env = libpqEnv(db, cluster.password());

        Process p = start(env, "backup", "create");
        ProcessHandle pgDump = ShadedJar.awaitChild(p, "pg_dump", Duration.ofSeconds(30));
        assertThat(pgDump).as("pg_dump started").isNotNull();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.CANCELLED);
        assertThat(err).contains("CANCELLED");
        pgDump.onExit().get(10, TimeUnit.SECONDS);
        assertThat(pgDump.isAlive()).isFalse();

        Run list = lifeboat(env, "backup", "list", "--json");
        assertThat(list.exitCode()).isZero();
        assertThat(dev.lifeboat.core.base.Json.mapper()
                        .readTree(list.out())
                        .get("backups")
                        .isEmpty())
                .as(list.out())
                .isTrue();
        assertThat(err).doesNotContain(cluster.password());
    }

    @Test
    void ctrlCDuringAReplaceLeavesTheTargetAsItWasAndNothingBesideIt() throws Exception {
        String db = SampleData.bulkDatabase(cluster, "jar_replace_cancel", 48);
        Map<String, String> env = libpqEnv(db, cluster.password());
        Run created = lifeboat(env, "backup", "create", "--json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String id = dev.lifeboat.core.base.Json.mapper()
                .readTree(created.out())
                .at("/manifest/id")
                .asString();
        cluster.execute(db, "CREATE TABLE public.today (x int)");
        var before = cluster.tableFingerprints(db);
        Run plan = lifeboat(env, "restore", id, "--replace", "--plan", "--json");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        String token = dev.lifeboat.core.base.Json.mapper()
                .readTree(plan.out())
                .at("/plan/confirmation/token")
                .asString();

        Process p = start(env, "restore", id, "--replace", "--confirm", token);
        ProcessHandle pgRestore = ShadedJar.awaitChild(p, "pg_restore", "--dbname", Duration.ofSeconds(60));
        assertThat(pgRestore).as("pg_restore started restoring").isNotNull();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.CANCELLED);
        assertThat(err).contains("CANCELLED", "was not touched");
        pgRestore.onExit().get(10, TimeUnit.SECONDS);
        assertThat(cluster.tableFingerprints(db)).isEqualTo(before);
        assertThat(cluster.queryValue(
                        "postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE '" + db + "\\_\\_%'"))
                .as("no copy beside the target")
                .isEqualTo("0");
    }

    private Map<String, String> libpqEnv(String db, String password) {
        return ShadedJar.libpqEnv(home, cluster, db, password);
    }

    private static Process start(Map<String, String> env, String... args) throws IOException {
        return ShadedJar.command(env, args).start();
    }

    private Run lifeboat(Map<String, String> env, String... args) throws Exception {
        Run run = ShadedJar.run(env, args);
        runs.add(run);
        return run;
    }
}
