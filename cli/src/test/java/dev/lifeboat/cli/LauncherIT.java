package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.cli.ShadedJar.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lifeboat and bin/lifeboat-mcp as users and MCP clients start them: the start-up archive is made
 * on first use without a byte on stdout, used afterwards, and a broken one is ignored silently.
 */
class LauncherIT {
    private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();

    @TempDir
    Path home;

    private Run run(Map<String, String> extraEnv, String stdin, String launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(BIN.resolve(launcher).toString());
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

    private List<Path> archives() throws IOException {
        Path dir = home.resolve("cache/lifeboat/cds");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void theFirstRunMakesTheArchiveQuietlyAndLaterRunsLoadFromIt() throws Exception {
        Run first = run(Map.of(), "", "lifeboat", "--version");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("lifeboat ").contains("Java ").doesNotContain("cds", "warning");
        assertThat(first.out().lines()).hasSize(2);
        assertThat(archives())
                .singleElement()
                .satisfies(a -> assertThat(a.getFileName().toString())
                        .startsWith("cli-")
                        .endsWith(".jsa"));

        // the class-loading log shows where Main came from: "(top)" is the dynamic archive
        Run second = run(Map.of("LIFEBOAT_JAVA_OPTS", "-Xlog:class+load=info:stderr"), "", "lifeboat", "--version");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).contains("dev.lifeboat.cli.Main source: shared objects file (top)");
    }

    @Test
    void aBrokenArchiveIsIgnoredSilently() throws Exception {
        assertThat(run(Map.of(), "", "lifeboat", "--version").exitCode()).isZero();
        Path archive = archives().get(0);
        archive.toFile().setWritable(true);
        Files.write(archive, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Run run = run(Map.of(), "", "lifeboat", "--version");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("lifeboat ");
        assertThat(run.out().lines()).hasSize(2);
    }

    @Test
    void withoutACacheDirectoryTheCommandStillRuns() throws Exception {
        Files.writeString(home.resolve("cache"), "a file where the cache directory would be");
        Run run = run(Map.of(), "", "lifeboat", "--version");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(2).first().asString().startsWith("lifeboat ");
    }

    @Test
    void theMcpServersFirstStartAnswersWithNothingButJsonRpcOnStdout() throws Exception {
        Path config = home.resolve("lifeboat.yaml");
        Files.writeString(
                config,
                "databases:\n  app:\n    host: 127.0.0.1\n    port: 1\n    user: u\n"
                        + "stores:\n  local:\n    uri: file://" + home.resolve("store") + "\n"
                        + "state_dir: " + home.resolve("state") + "\n");
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n";
        for (String[] launch : new String[][] {
            {"lifeboat-mcp", "--config", config.toString()}, {"lifeboat", "mcp", "serve", "--config", config.toString()}
        }) {
            for (int i = 0; i < 2; i++) { // the first run trains the archive, the second uses it
                Run run = run(Map.of(), init, launch[0], java.util.Arrays.copyOfRange(launch, 1, launch.length));
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertThat(run.out().lines())
                        .as(run.out())
                        .singleElement()
                        .satisfies(line -> assertThat(dev.lifeboat.core.base.Json.mapper()
                                        .readTree(line)
                                        .get("result")
                                        .get("serverInfo"))
                                .isNotNull());
            }
        }
        assertThat(archives())
                .extracting(p -> p.getFileName().toString().replaceAll("-.*", ""))
                .containsExactlyInAnyOrder("mcp", "cli");
    }
}
