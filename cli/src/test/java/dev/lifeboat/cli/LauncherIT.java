package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.cli.ShadedJar.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lifeboat and bin/lifeboat-mcp as users and MCP clients start them: the checkout's launchers run
 * from the start-up archive the build made beside the jar; an installed copy without one makes its own
 * on first use (from the build's class list, else by a training run) without a byte on stdout and uses
 * it afterwards; an archive made for another jar or JVM, stale or broken is never used or ignored
 * silently. On Java 25 and later (a JDK found under /usr/lib/jvm, or named by LIFEBOAT_TEST_JAVA25_HOME)
 * the launcher makes an AOT cache instead, by the same training run.
 */
class LauncherIT {
    private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    Path home;

    private Run run(Map<String, String> extraEnv, String stdin, String launcher, String... args) throws Exception {
        return run(extraEnv, stdin, BIN.resolve(launcher), args);
    }

    private Run run(Map<String, String> extraEnv, String stdin, Path launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(extraEnv);
        return ShadedJar.finish(pb.start(), stdin, 180, String.join(" ", command));
    }

    /** Asserts that the cache holds one archive, its name {@code prefix}…{@code .jsa}. */
    private void assertOneArchiveNamed(String prefix) throws IOException {
        assertOneArchiveNamed(prefix, ".jsa");
    }

    private void assertOneArchiveNamed(String prefix, String suffix) throws IOException {
        assertThat(archives())
                .singleElement()
                .satisfies(a -> assertThat(a.getFileName().toString())
                        .startsWith(prefix)
                        .endsWith(suffix));
    }

    /**
     * JAVA_HOME of a JDK 25 or later: LIFEBOAT_TEST_JAVA25_HOME, else the first under /usr/lib/jvm whose
     * release file says so; the test is skipped, saying why, when there is none.
     */
    private static Map<String, String> java25() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String named = System.getenv("LIFEBOAT_TEST_JAVA25_HOME");
        if (named != null && !named.isBlank()) {
            candidates.add(Path.of(named));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> s = Files.list(jvms)) {
                s.sorted().forEach(candidates::add);
            }
        }
        for (Path home : candidates) {
            Path release = home.resolve("release");
            if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
                continue;
            }
            for (String line : Files.readAllLines(release)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^JAVA_VERSION=\"(\\d+)")
                        .matcher(line);
                if (m.find() && Integer.parseInt(m.group(1)) >= 25) {
                    return Map.of("JAVA_HOME", home.toString());
                }
            }
        }
        Assumptions.abort("no JDK 25 or later under /usr/lib/jvm and LIFEBOAT_TEST_JAVA25_HOME unset: the AOT"
                + " cache path of bin/lifeboat was not tested; install one (Temurin 25) or name it to run it");
        return Map.of();
    }

    private List<Path> archives() throws IOException {
        Path dir = home.resolve("cache/lifeboat/cds");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** An unpacked release: bin/lifeboat, its lifeboat-mcp link, lib/lifeboat.jar and what else is named. */
    private Path installed(String... besideTheJar) throws IOException {
        Path bin = Files.createDirectories(home.resolve("opt/bin"));
        Path lib = Files.createDirectories(home.resolve("opt/lib"));
        Files.copy(BIN.resolve("lifeboat"), bin.resolve("lifeboat"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(bin.resolve("lifeboat-mcp"), Path.of("lifeboat"));
        Files.copy(TARGET.resolve("lifeboat.jar"), lib.resolve("lifeboat.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String name : besideTheJar) {
            Files.copy(TARGET.resolve(name), lib.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return bin.resolve("lifeboat");
    }

    private static final String INITIALIZE =
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n";

    /** A configuration for the MCP server's start: a store here, a database nothing listens for. */
    private Path serverConfig() throws IOException {
        Path config = home.resolve("lifeboat.yaml");
        Files.writeString(
                config,
                "databases:\n  app:\n    host: 127.0.0.1\n    port: 1\n    user: u\n"
                        + "stores:\n  local:\n    uri: file://" + home.resolve("store") + "\n"
                        + "state_dir: " + home.resolve("state") + "\n");
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return config;
    }

    /** Stdout held one line, the answer to initialize: nothing else reached it. */
    private static void assertInitializeAnswerAlone(Run run) {
        assertThat(run.out().lines())
                .as(run.out())
                .singleElement()
                .satisfies(line -> assertThat(dev.lifeboat.core.base.Json.mapper()
                                .readTree(line)
                                .get("result")
                                .get("serverInfo"))
                        .isNotNull());
    }

    private static Path lib(Path launcher, String name) {
        return launcher.getParent().resolveSibling("lib").resolve(name);
    }

    private static void assertVersion(Run run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("lifeboat ").contains("Java ").doesNotContain("cds", "warning");
        assertThat(run.out().lines()).hasSize(2);
    }

    private static final String MAIN_FROM_A_STATIC_ARCHIVE = "dev.lifeboat.cli.Main source: shared objects file\n";
    private static final Map<String, String> CLASS_LOG = Map.of("LIFEBOAT_JAVA_OPTS", "-Xlog:class+load=info:stderr");

    @Test
    void theCheckoutRunsFromTheArchiveTheBuildMade() throws Exception {
        assertThat(TARGET.resolve("lifeboat.jsa"))
                .as("the package phase makes it")
                .isRegularFile();
        Run run = run(CLASS_LOG, "", "lifeboat", "--version");
        assertVersion(run);
        // a static archive: every class from it, picocli's too; "(top)" would be a dynamic one
        assertThat(run.err()).contains(MAIN_FROM_A_STATIC_ARCHIVE);
        assertThat(archives()).as("nothing made at run time").isEmpty();
    }

    @Test
    void theBuildsArchiveHoldsWhatABackupAndARestoreLoad() throws Exception {
        // trained against a throwaway PostgreSQL (the build machine has its binaries, as the tests do):
        // without it the JDBC driver, the login and the restore came from the jar at every start
        List<String> classes = Files.readAllLines(TARGET.resolve("lifeboat.classlist"));
        assertThat(classes)
                .contains(
                        "org/postgresql/core/v3/QueryExecutorImpl",
                        "org/postgresql/shaded/com/ongres/scram/client/ScramClient",
                        "dev/lifeboat/core/backup/CreateBackup",
                        "dev/lifeboat/core/engine/postgres/PgDump",
                        "dev/lifeboat/core/restore/DatabaseRestore",
                        "dev/lifeboat/core/engine/postgres/PgRestore",
                        "dev/lifeboat/mcp/tool/RestoreBackupTool");
    }

    @Test
    void anInstalledCopyMakesItsArchiveFromTheClassListOnceAndLoadsFromIt() throws Exception {
        Path lifeboat = installed("lifeboat.classlist");
        assertVersion(run(Map.of(), "", lifeboat, "--version"));
        assertOneArchiveNamed("lifeboat-");
        Run second = run(CLASS_LOG, "", lifeboat, "--version");
        assertVersion(second);
        assertThat(second.err()).contains(MAIN_FROM_A_STATIC_ARCHIVE);
        assertThat(archives()).hasSize(1);
    }

    @Test
    void withoutAClassListTheFirstRunTrainsAnArchiveQuietlyAndLaterRunsLoadFromIt() throws Exception {
        Path lifeboat = installed();
        assertVersion(run(Map.of(), "", lifeboat, "--version"));
        assertOneArchiveNamed("cli-");

        // the class-loading log shows where Main came from: "(top)" is the dynamic archive
        Run second = run(CLASS_LOG, "", lifeboat, "--version");
        assertVersion(second);
        assertThat(second.err()).contains("dev.lifeboat.cli.Main source: shared objects file (top)");
    }

    @Test
    void anArchiveMadeForAnotherJarIsNotUsed() throws Exception {
        // the build's archive and its .jvm file copied beside another copy of the jar: made for the jar
        // in target/, so the launcher makes one for this copy instead
        Path lifeboat = installed("lifeboat.jsa", "lifeboat.jsa.jvm");
        Run run = run(CLASS_LOG, "", lifeboat, "--version");
        assertVersion(run);
        assertThat(run.err()).doesNotContain(lib(lifeboat, "lifeboat.jsa").toString());
        assertThat(archives())
                .singleElement()
                .satisfies(a -> assertThat(a.getFileName().toString()).startsWith("cli-"));
    }

    @Test
    void aStaleOrBrokenArchiveBesideTheJarIsIgnoredSilently() throws Exception {
        Path lifeboat = installed("lifeboat.classlist");
        Path jar = lib(lifeboat, "lifeboat.jar");
        Path archive = lib(lifeboat, "lifeboat.jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java")
                .toRealPath()
                .toString();
        // named for this jar and JVM, but garbage
        Files.write(archive, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Files.writeString(archive.resolveSibling("lifeboat.jsa.jvm"), java + " " + jar.toRealPath() + "\n");
        Run broken = run(Map.of(), "", lifeboat, "--version");
        assertVersion(broken);

        // a real archive of this jar, then the jar replaced: older than the jar, so not used
        Files.copy(TARGET.resolve("lifeboat.jsa"), archive, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Run stale = run(CLASS_LOG, "", lifeboat, "--version");
        assertVersion(stale);
        assertThat(stale.err()).contains(MAIN_FROM_A_STATIC_ARCHIVE); // from the one made from the class list
        assertThat(archives()).hasSize(1);
    }

    @Test
    void aBrokenArchiveInTheCacheIsIgnoredSilently() throws Exception {
        Path lifeboat = installed();
        assertThat(run(Map.of(), "", lifeboat, "--version").exitCode()).isZero();
        Path archive = archives().get(0);
        archive.toFile().setWritable(true);
        Files.write(archive, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertVersion(run(Map.of(), "", lifeboat, "--version"));
    }

    @Test
    void withoutACacheDirectoryTheCommandStillRuns() throws Exception {
        Files.writeString(home.resolve("cache"), "a file where the cache directory would be");
        Run run = run(Map.of(), "", installed("lifeboat.classlist"), "--version");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(2).first().asString().startsWith("lifeboat ");
    }

    @Test
    void withoutALocaleInTheEnvironmentFilesWithNonAsciiNamesAreBackedUpAndRestored() throws Exception {
        Path source = Files.createDirectories(home.resolve("docs"));
        Files.writeString(source.resolve("Überweisung ä.txt"), "grüße");
        Path config = home.resolve("lifeboat.yaml");
        Files.writeString(
                config,
                "directories:\n  docs:\n    path: " + source + "\n    store: local\n"
                        + "stores:\n  local:\n    uri: file://" + home.resolve("store") + "\n"
                        + "state_dir: " + home.resolve("state") + "\n");
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // run() gives the launcher no LANG, LC_ALL or LC_CTYPE: what an MCP host or cron may do
        Run backup =
                run(Map.of(), "", "lifeboat", "backup", "create", "--directory", "docs", "--config", config.toString());
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        String id = backup.out()
                .lines()
                .filter(l -> l.startsWith("created "))
                .map(l -> l.split(" ")[1])
                .findFirst()
                .orElseThrow(() -> new AssertionError(backup.out()));
        Path target = home.resolve("restored");
        Run restore = run(
                Map.of(),
                "",
                "lifeboat",
                "restore",
                id,
                "--target-dir",
                target.toString(),
                "--config",
                config.toString());
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(target.resolve("Überweisung ä.txt")).hasContent("grüße");
    }

    @Test
    void theMcpServersFirstStartAnswersWithNothingButJsonRpcOnStdout() throws Exception {
        // the checkout's (the build's archive), then an installed copy's: its first run trains one
        assertBothServersAnswerAlone(Map.of(), true);
        assertThat(archives())
                .extracting(p -> p.getFileName().toString().replaceAll("-[0-9]+\\.jsa$", ""))
                .containsExactlyInAnyOrder("mcp", "cli-mcp");
    }

    /**
     * Starts both stdio servers (bin/lifeboat-mcp and lifeboat mcp serve) of an installed copy twice,
     * the first start making its archive, and, with {@code checkoutFirst}, the checkout's once before:
     * every start answered initialize and wrote nothing else to stdout.
     */
    private void assertBothServersAnswerAlone(Map<String, String> env, boolean checkoutFirst) throws Exception {
        Path config = serverConfig();
        Path copy = installed();
        for (String[] launch : new String[][] {
            {"lifeboat-mcp", "--config", config.toString()}, {"lifeboat", "mcp", "serve", "--config", config.toString()}
        }) {
            List<Path> launchers = new ArrayList<>();
            if (checkoutFirst) {
                launchers.add(BIN.resolve(launch[0]));
            }
            launchers.add(copy.resolveSibling(launch[0]));
            launchers.add(copy.resolveSibling(launch[0]));
            for (Path launcher : launchers) {
                Run run = run(env, INITIALIZE, launcher, java.util.Arrays.copyOfRange(launch, 1, launch.length));
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertInitializeAnswerAlone(run);
            }
        }
    }

    @Test
    void aCheckoutWhoseSourcesChangedRebuildsWithoutReadingTheClientsFirstRequest() throws Exception {
        // a checkout whose pom is newer than the jar: the launcher builds first. The build's stdin must
        // not be the program's: Maven read an MCP client's initialize and the server waited forever
        Path checkout = Files.createDirectories(home.resolve("checkout"));
        Files.createDirectories(checkout.resolve("bin"));
        Files.copy(BIN.resolve("lifeboat"), checkout.resolve("bin/lifeboat"), StandardCopyOption.COPY_ATTRIBUTES);
        Path jar = Files.createDirectories(checkout.resolve("cli/target")).resolve("lifeboat.jar");
        Files.copy(TARGET.resolve("lifeboat.jar"), jar);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        // the build stands in for Maven: it reads whatever stdin it is given, as Maven does, then
        // leaves the jar up to date
        Path mvnw = Files.writeString(
                checkout.resolve("mvnw"), "#!/bin/sh\ncat >/dev/null\ntouch cli/target/lifeboat.jar\n");
        Files.setPosixFilePermissions(mvnw, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path config = serverConfig();
        String init = INITIALIZE;

        Run run = run(
                Map.of("LIFEBOAT_CDS", "off"),
                init,
                checkout.resolve("bin/lifeboat"),
                "mcp",
                "serve",
                "--config",
                config.toString());
        assertThat(run.err()).contains("lifeboat: building");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertInitializeAnswerAlone(run);
    }

    @Test
    void onJava25TheFirstRunTrainsAnAotCacheQuietlyAndLaterRunsLoadFromIt() throws Exception {
        Map<String, String> java25 = java25();
        // the class list and the build's archive are for a class-list archive on Java 17: not used here
        Path lifeboat = installed("lifeboat.classlist", "lifeboat.jsa", "lifeboat.jsa.jvm");
        assertVersion(run(java25, "", lifeboat, "--version"));
        assertOneArchiveNamed("cli-", ".aot");

        Map<String, String> logged = new java.util.HashMap<>(java25);
        logged.putAll(CLASS_LOG);
        Run second = run(logged, "", lifeboat, "--version");
        assertVersion(second);
        assertThat(second.out()).contains("Java 25");
        assertThat(second.err())
                .contains("dev.lifeboat.cli.Main source: shared objects file")
                .doesNotContain(lib(lifeboat, "lifeboat.jsa").toString());
        assertThat(archives()).as("no training leftovers beside the cache").hasSize(1);

        // a command that streams a dump runs from the class-list archive, which covers what it loads
        Run verify = run(logged, "", lifeboat, "verify", "--help");
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.err()).contains(MAIN_FROM_A_STATIC_ARCHIVE);
        assertThat(archives())
                .extracting(p -> p.getFileName().toString().replaceAll("-[0-9]+\\.(aot|jsa)$", ".$1"))
                .containsExactlyInAnyOrder("cli.aot", "lifeboat.jsa");
    }

    @Test
    void onJava25TheCheckoutRunsEachStreamingCommandFromTheCacheTheBuildTrainedOnIt() throws Exception {
        Map<String, String> java25 = new java.util.HashMap<>(java25());
        for (String command : List.of("backup", "verify", "restore")) {
            assertThat(TARGET.resolve("lifeboat-" + command + ".aot"))
                    .as("the package phase trains it when a Java 25 is at hand")
                    .isRegularFile();
        }
        java25.putAll(CLASS_LOG);
        for (String[] args :
                new String[][] {{"backup", "create", "--help"}, {"verify", "--help"}, {"restore", "--help"}}) {
            Run run = run(java25, "", "lifeboat", args);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("dev.lifeboat.cli.Main source: shared objects file");
        }
        assertThat(archives()).as("nothing made at run time").isEmpty();
    }

    @Test
    void onJava25TheMcpServersFirstStartAnswersWithNothingButJsonRpcOnStdout() throws Exception {
        // the first start trains the cache, the second loads from it
        assertBothServersAnswerAlone(java25(), false);
        assertThat(archives())
                .extracting(p -> p.getFileName().toString().replaceAll("-[0-9]+\\.aot$", ""))
                .containsExactlyInAnyOrder("mcp", "cli-mcp");
    }

    @Test
    void onJava25ABrokenAotCacheIsIgnoredAndTheCommandRuns() throws Exception {
        Map<String, String> java25 = java25();
        Path lifeboat = installed();
        assertVersion(run(java25, "", lifeboat, "--version"));
        Path cache = archives().get(0);
        cache.toFile().setWritable(true);
        Files.write(cache, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Run run = run(java25, "", lifeboat, "--version");
        assertVersion(run);
    }
}
