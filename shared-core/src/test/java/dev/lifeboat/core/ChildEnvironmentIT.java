package dev.lifeboat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.engine.postgres.ChildVariables;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret of Lifeboat's own environment reaches a pg_dump or pg_restore it starts, and the password
 * reaches them only as a 0600 passfile under {@code state_dir/run}, gone once they are. Through the
 * whole service (the wiring, the use cases, the real tools against the real server): a backup, a
 * restore drill, a restore into a new database and one over an existing database. Two ways of looking:
 *
 * <ul>
 *   <li>while the real pg_dump and pg_restore run (each held by a table lock until the test has
 *       looked), the test reads their {@code /proc/PID/environ} and {@code cmdline} and the passfile;
 *   <li>every child, however short-lived ({@code --version}, {@code --list}, {@code --data-only}),
 *       runs through a wrapper first on PATH that records its own {@code /proc/$$/environ},
 *       {@code cmdline} and its passfile's mode, then becomes the real tool.
 * </ul>
 */
class ChildEnvironmentIT {
    private static final String PASSWORD_ENV = "APP_DB_PASSWORD";
    private static final Map<String, String> CANARIES = Map.of(
            "AWS_SECRET_ACCESS_KEY", "canary-aws-secret-5e1d",
            "AWS_ACCESS_KEY_ID", "AKIACANARY5E1D",
            "AWS_SESSION_TOKEN", "canary-aws-token-5e1d",
            "GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/canary-gcp-5e1d.json",
            "AZURE_STORAGE_KEY", "canary-azure-5e1d",
            "LIFEBOAT_TEST_CANARY", "canary-lifeboat-5e1d",
            "BACKUP_AGE_IDENTITY", "AGE-SECRET-KEY-1CANARY5E1D");
    /** Everything a child may be given: the allow-list and the connection Lifeboat states. */
    private static final Set<String> CHILD_VARIABLES = ChildVariables.all();

    private static PgCluster pg;

    @TempDir
    Path dir;

    private Path run;
    private Path captures;
    private Map<String, String> env;
    private final OperationContext ctx = OperationContext.of("test", "tester");

    @BeforeAll
    static void cluster() {
        pg = PgCluster.shared();
    }

    @BeforeEach
    void wrappers() throws IOException {
        run = dir.resolve("state").resolve("run");
        captures = Files.createDirectory(dir.resolve("captures"));
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String tool : List.of("pg_dump", "pg_restore")) {
            Path wrapper = bin.resolve(tool);
            Files.writeString(wrapper, """
                    #!/bin/sh
                    # records what Lifeboat gave this child, then becomes the real tool (same pid, same environment)
                    c='%s'/$$
                    cat /proc/$$/cmdline > "$c.cmdline"
                    if [ -n "$PGPASSFILE" ]; then stat -c '%%a %%n' "$PGPASSFILE" "${PGPASSFILE%%/*}" > "$c.passfile"; fi
                    cat /proc/$$/environ > "$c.environ"
                    exec '%s' "$@"
                    """.formatted(captures, pg.clientTool(tool)));
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        }
        // a realistic environment: whatever this JVM has (CI's LIFEBOAT_* too), the database's password
        // variable, cloud credentials; the wrappers first on PATH, so every tool Lifeboat starts is one
        env = new HashMap<>(System.getenv());
        env.putAll(CANARIES);
        env.put(PASSWORD_ENV, pg.password());
        env.put("HOME", dir.toString());
        env.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    private BackupService open(String source) throws IOException {
        Path f = dir.resolve("lifeboat.yaml");
        Files.writeString(f, """
                databases:
                  app:
                    host: %s
                    port: %d
                    dbname: %s
                    user: %s
                    sslmode: disable
                    password_env: %s
                    count_rows: estimate
                stores:
                  local:
                    uri: %s
                state_dir: %s
                """.formatted(
                        pg.host(),
                        pg.port(),
                        source,
                        PgCluster.SUPERUSER,
                        PASSWORD_ENV,
                        dir.resolve("store").toUri(),
                        dir.resolve("state")));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return BackupService.open(new ConfigLoader(env).load(f), env);
    }

    @Test
    void noSecretReachesAnyChildAndThePasswordOnlyAPrivatePassfileThatOutlivesNoChild() throws Exception {
        String source = pg.createUniqueDatabase("childenv");
        SampleData.create(pg, source, 100);
        try (BackupService service = open(source)) {
            // a backup, its pg_dump held by a lock until the test has looked at it
            Manifest m = whileHeld(
                            source,
                            () -> service.create(new CreateBackupRequest("app", null, null, null), ctx),
                            "pg_dump",
                            "--format=custom")
                    .manifest();

            VerificationReport drill = service.verify(m.id(), null, VerifyLevel.RESTORE, ctx);
            assertThat(drill.passed()).as("%s", drill.checks()).isTrue();

            String target = source + "_copy";
            service.restore(new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null), ctx);

            // a restore over the copy, its pg_restore held by a lock on the copy (without the safety
            // backup, whose pg_dump the same lock would hold first)
            RestoreRequest over =
                    new RestoreRequest(m.id(), null, null, target, RestoreMode.CLEAN, null).skippingSafetyBackup();
            RestorePlan plan = service.planRestore(over);
            whileHeld(
                    target,
                    () -> service.restore(over.withToken(plan.confirmation().token()), ctx),
                    "pg_restore",
                    "--clean");
            assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
        }

        assertThat(list(run)).as("passfiles left in %s", run).isEmpty();
        assertThat(mode(run)).isEqualTo("rwx------");

        // every child any of that started, as it recorded itself
        Map<String, String> seen = new LinkedHashMap<>();
        for (Path environ : list(captures)) {
            String name = environ.getFileName().toString();
            if (!name.endsWith(".environ")) {
                continue;
            }
            String pid = name.substring(0, name.indexOf('.'));
            String cmdline = read(captures.resolve(pid + ".cmdline"));
            Map<String, String> childEnv = parse(read(environ));
            assertClean(childEnv, cmdline, "child " + cmdline);
            if (childEnv.containsKey("PGPASSFILE")) {
                Path passfile = Path.of(childEnv.get("PGPASSFILE"));
                assertThat(passfile.getParent()).as(cmdline).isEqualTo(run);
                assertThat(read(captures.resolve(pid + ".passfile")).lines())
                        .as("%s: the modes of its passfile and their directory, while it ran", cmdline)
                        .containsExactly("600 " + passfile, "700 " + run);
            }
            seen.put(what(cmdline), cmdline);
        }
        assertThat(seen.keySet())
                .as("the children seen: %s", seen.values())
                .contains(
                        "pg_dump --version",
                        "pg_restore --version",
                        "pg_dump --format=custom",
                        "pg_restore --list",
                        "pg_restore --exit-on-error",
                        "pg_restore --data-only",
                        "pg_dump --data-only",
                        "pg_restore --clean");
    }

    /**
     * Runs {@code work} while a lock on {@code db}'s tables holds the real {@code tool} whose command
     * line has {@code marker}; looks at that process meanwhile; returns what the work returned.
     */
    private <T> T whileHeld(String db, Supplier<T> work, String tool, String marker) throws Exception {
        CompletableFuture<T> done;
        try (Connection locker = pg.connect(db)) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE ledger.entries IN ACCESS EXCLUSIVE MODE");
            done = CompletableFuture.supplyAsync(work);
            ProcessHandle child = awaitRealTool(tool, marker, done);
            String cmdline = procFile(child, "cmdline");
            Map<String, String> childEnv = parse(procFile(child, "environ"));
            // the wrapper's shell exported PWD on its way to exec; otherwise the real tool holds exactly
            // what Lifeboat gave the wrapper (same pid)
            Map<String, String> given = parse(read(captures.resolve(child.pid() + ".environ")));
            if (!given.containsKey("PWD")) {
                childEnv.remove("PWD");
            }
            assertThat(childEnv).isEqualTo(given);
            assertClean(childEnv, cmdline, tool + " (pid " + child.pid() + ") while it ran");
            assertThat(childEnv).containsEntry("PGHOST", pg.host()).containsEntry("PGUSER", PgCluster.SUPERUSER);
            Path passfile = Path.of(childEnv.get("PGPASSFILE"));
            assertThat(passfile.getParent()).isEqualTo(run);
            assertThat(list(run)).containsExactly(passfile);
            assertThat(mode(passfile)).isEqualTo("rw-------");
            assertThat(mode(run)).isEqualTo("rwx------");
            assertThat(Files.readString(passfile)).isEqualTo("*:*:*:*:" + pg.password() + "\n");
            assertThat(child.isAlive())
                    .as("%s was still held by the lock while the test looked", tool)
                    .isTrue();
            locker.rollback();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return done.get(120, TimeUnit.SECONDS);
    }

    /** The real tool (the wrapper has exec'ed it), started by this JVM, with {@code marker} in its argv. */
    private ProcessHandle awaitRealTool(String tool, String marker, CompletableFuture<?> work) throws Exception {
        String real = pg.clientTool(tool).toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (work.isDone()) {
                work.get(); // its failure is the news
                throw new AssertionError(tool + " " + marker + " ended before the lock was released");
            }
            Optional<ProcessHandle> found = ProcessHandle.current()
                    .descendants()
                    .filter(p -> {
                        String cmdline = procFileOrEmpty(p, "cmdline");
                        return cmdline.startsWith(real + " ") && cmdline.contains(" " + marker);
                    })
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + tool + " " + marker + " appeared");
    }

    private static void assertClean(Map<String, String> childEnv, String cmdline, String who) {
        String all = String.join("\n", childEnv.keySet()) + "\n" + String.join("\n", childEnv.values());
        assertThat(childEnv.keySet()).as("%s: the variables it was given", who).isSubsetOf(CHILD_VARIABLES);
        assertThat(childEnv).as(who).doesNotContainKeys(PASSWORD_ENV, "PGPASSWORD");
        for (String canary : CANARIES.values()) {
            assertThat(all).as("%s: its environment", who).doesNotContain(canary);
            assertThat(cmdline).as("%s: its command line", who).doesNotContain(canary);
        }
        assertThat(all).as("%s: its environment", who).doesNotContain(pg.password());
        assertThat(cmdline).as("%s: its command line", who).doesNotContain(pg.password());
        assertThat(childEnv.keySet())
                .as(who)
                .noneMatch(
                        k -> Stream.of("AWS_", "GOOGLE_", "AZURE_", "LIFEBOAT_").anyMatch(k::startsWith));
    }

    /** "pg_dump --format=custom", "pg_restore --list", ...: the tool and the option that tells its job. */
    private static String what(String cmdline) {
        List<String> args = new ArrayList<>(List.of(cmdline.split(" ")));
        // a wrapper's own record starts with the shell: /bin/sh /path/bin/pg_dump args...
        while (!args.isEmpty()
                && !args.get(0).endsWith("/pg_dump")
                && !args.get(0).endsWith("/pg_restore")) {
            args.remove(0);
        }
        String tool = args.isEmpty() ? "?" : Path.of(args.get(0)).getFileName().toString();
        for (String job :
                List.of("--version", "--list", "--data-only", "--clean", "--format=custom", "--exit-on-error")) {
            if (args.contains(job)) {
                return tool + " " + job;
            }
        }
        return tool + " " + args;
    }

    private static Map<String, String> parse(String environ) {
        Map<String, String> out = new HashMap<>();
        for (String entry : environ.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                out.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return out;
    }

    /** A /proc file of {@code p} with its NULs as spaces (cmdline) or as they are (environ). */
    private static String procFile(ProcessHandle p, String name) throws IOException {
        String text = read(Path.of("/proc", Long.toString(p.pid()), name));
        return name.equals("cmdline") ? text.replace('\0', ' ').strip() : text;
    }

    private static String procFileOrEmpty(ProcessHandle p, String name) {
        try {
            return procFile(p, name);
        } catch (IOException e) {
            return ""; // ended meanwhile
        }
    }

    private static String read(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return file.getFileName().toString().endsWith(".cmdline")
                ? text.replace('\0', ' ').strip()
                : text;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return new ArrayList<>(new TreeSet<>(s.toList()));
        }
    }
}
