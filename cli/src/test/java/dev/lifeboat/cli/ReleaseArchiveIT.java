package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.cli.ShadedJar.Run;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive the build makes (target/lifeboat-VERSION.tar.gz), unpacked into an empty
 * directory as a user would: its launchers run the jars beside them with nothing else from this
 * checkout, a backup runs against a real PostgreSQL, the MCP server answers, and the completion
 * script loads in bash.
 */
class ReleaseArchiveIT {
    @TempDir
    Path dir;

    private static Path archive() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("lifeboat-.+\\.tar\\.gz"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target/lifeboat-*.tar.gz: the package phase makes it"));
        }
    }

    private Path unpacked() throws Exception {
        Path to = dir.resolve("opt");
        Files.createDirectories(to);
        Run tar = run(
                Map.of("PATH", System.getenv("PATH")),
                null,
                "tar",
                "-xzf",
                archive().toAbsolutePath().toString(),
                "-C",
                to.toString());
        assertThat(tar.exitCode()).as(tar.err()).isZero();
        try (Stream<Path> top = Files.list(to)) {
            return top.findFirst().orElseThrow();
        }
    }

    private static Run run(Map<String, String> env, String stdin, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        if (stdin == null) {
            pb.redirectInput(new File("/dev/null"));
        }
        return ShadedJar.finish(pb.start(), stdin, 180, String.join(" ", command));
    }

    /** tools/list from the stdio server, stdin held open until the answer came. */
    private static String mcpToolsList(Map<String, String> env, Path launcher) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream();
                var out = new java.io.BufferedReader(
                        new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
                            + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                            + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            for (String line; (line = out.readLine()) != null; ) {
                if (line.contains("\"id\":2")) {
                    return line;
                }
            }
            return "";
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theUnpackedArchiveRunsABackupServesMcpAndCompletes() throws Exception {
        Path home = unpacked();
        assertThat(home.getFileName().toString()).startsWith("lifeboat-");
        assertThat(home.resolve("bin/lifeboat")).isExecutable();
        assertThat(home.resolve("bin/lifeboat-mcp")).isExecutable();
        assertThat(home.resolve("lib/lifeboat.jar")).isRegularFile();
        assertThat(home.resolve("lib"))
                .as("one jar: the CLI's holds the MCP server")
                .isDirectoryContaining(p -> true);
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            // and the class list the launcher makes its start-up archive from (build/cds-archive.sh);
            // no archive: Java 17 maps one only at the path it was made for
            assertThat(lib.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("lifeboat.jar", "lifeboat.classlist");
        }
        assertThat(home.resolve("docs/cli.md")).isRegularFile();
        assertThat(home.resolve("docs/lifeboat.schema.json")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();

        PgCluster cluster = PgCluster.shared();
        String db = SampleData.database(cluster, "release", 50);
        Map<String, String> env = new java.util.HashMap<>(ShadedJar.libpqEnv(dir, cluster, db, cluster.password()));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        String lifeboat = home.resolve("bin/lifeboat").toString();

        Run version = run(env, null, lifeboat, "--version");
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).contains("lifeboat").doesNotContain("unknown");
        assertThat(version.err())
                .as("nothing is built from an unpacked archive")
                .doesNotContain("building");
        try (Stream<Path> cds = Files.list(dir.resolve(".cache/lifeboat/cds"))) {
            assertThat(cds.map(p -> p.getFileName().toString()))
                    .as("the first run made the start-up archive from the shipped class list")
                    .singleElement()
                    .satisfies(name -> assertThat(name).startsWith("lifeboat-").endsWith(".jsa"));
        }

        Run backup = run(env, null, lifeboat, "backup", "create", "--json");
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        String id = Json.mapper().readTree(backup.out()).at("/manifest/id").asString();
        Run list = run(env, null, lifeboat, "backup", "list", "--json");
        assertThat(list.out()).contains(id);

        assertThat(mcpToolsList(env, home.resolve("bin/lifeboat-mcp")))
                .contains("restore_backup")
                .contains("restore_over_existing");

        Path completion = home.resolve("completion/lifeboat.bash");
        assertThat(completion).isRegularFile();
        Run complete = run(
                Map.of("PATH", System.getenv("PATH")),
                null,
                "bash",
                "-c",
                "source " + completion + " && complete -p lifeboat");
        assertThat(complete.exitCode()).as(complete.err()).isZero();
        assertThat(complete.out()).contains("lifeboat");
        assertThat(Files.readString(completion)).contains("restore", "--create-roles", "schedule");
        List<String> unrelated = List.of(db, cluster.password());
        assertThat(Files.readString(completion)).doesNotContain(unrelated);
    }
}
