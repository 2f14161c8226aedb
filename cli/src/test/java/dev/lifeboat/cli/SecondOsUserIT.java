package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.cli.ShadedJar.Run;
import dev.lifeboat.core.testing.ConfigBuilder;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Local" is not "me": a second, real OS user on the host (made with {@code useradd} for the test,
 * removed after) against what root's Lifeboat keeps and serves. Every directory on the way is opened
 * to others (0755), so only Lifeboat's own file modes and its token check stand between them. Runs
 * only as root (CI does), and says why it was skipped otherwise.
 */
class SecondOsUserIT {
    private static String other;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeAnotherUser() throws Exception {
        Assumptions.assumeTrue(
                "0".equals(exec(List.of("id", "-u")).out().trim()),
                "skipped: making a second OS user needs root (CI runs as root)");
        Assumptions.assumeTrue(
                onPath("useradd") && onPath("runuser"), "skipped: useradd and runuser are needed for a second OS user");
        String name = "lbt"
                + HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(4));
        Run made = exec(List.of("useradd", "--no-create-home", "--shell", "/bin/sh", name));
        assertThat(made.exitCode()).as(made.err()).isZero();
        other = name;
    }

    @AfterAll
    static void removeTheUser() throws Exception {
        if (other != null) {
            exec(List.of("userdel", other));
        }
    }

    @Test
    void anotherLocalUserCanNeitherReadNorCallNorApprove() throws Exception {
        PgCluster cluster = PgCluster.shared();
        String db = SampleData.database(cluster, "second_user", 20);
        Path home = open(tmp.resolve("home"));
        open(tmp);
        Path jar = tmp.resolve("lifeboat.jar");
        Files.copy(ShadedJar.JAR, jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        String token = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(32));
        String tokenHash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        Path stateDir = home.resolve("state");
        Path config = ConfigBuilder.in(open(home.resolve("etc")))
                .database(
                        "app",
                        d -> d.host(cluster.host())
                                .port(cluster.port())
                                .dbname(db)
                                .user(PgCluster.SUPERUSER)
                                .passwordEnv("APP_PASSWORD")
                                .sslmode("disable"))
                .store("local", home.resolve("backups"))
                .stateDir(stateDir)
                .approval("operator")
                .raw("mcp:\n  port: 0\n  tokens:\n    - subject: root-agent\n      sha256: " + tokenHash
                        + "\n      scopes: [backups:read, backups:write, backups:delete, backups:restore]\n")
                .write();
        Map<String, String> env =
                Map.of("PATH", System.getenv("PATH"), "HOME", home.toString(), "APP_PASSWORD", cluster.password());

        // root's Lifeboat at work: a backup, and a delete plan waiting for an operator's approval
        Run created = ShadedJar.run(env, "backup", "create", "--config", config.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        String id = created.out().split("\\s+")[1];
        Run planned = ShadedJar.run(env, "backup", "delete", id, "--json", "--config", config.toString());
        Matcher planId = Pattern.compile("\"plan_id\"\\s*:\\s*\"([^\"]+)\"").matcher(planned.out());
        assertThat(planId.find()).as(planned.out() + planned.err()).isTrue();

        // 1: nothing Lifeboat keeps can be read, listed or written by the other user
        List<Path> kept = new ArrayList<>(List.of(config));
        kept.addAll(tree(stateDir));
        kept.addAll(tree(home.resolve("backups")));
        assertThat(kept)
                .as("state_dir holds the audit log and the confirmation key")
                .contains(stateDir.resolve("audit.jsonl"));
        List<String> reached = new ArrayList<>();
        for (Path p : kept) {
            String test =
                    Files.isDirectory(p) ? "ls \"$1\" >/dev/null 2>&1 || test -w \"$1\"" : "cat \"$1\" >/dev/null 2>&1";
            if (asOther(List.of("sh", "-c", test, "sh", p.toString())).exitCode() == 0) {
                reached.add(p + (Files.isDirectory(p) ? " (dir)" : ""));
            }
        }
        assertThat(reached).as("what user %s could read or write", other).isEmpty();
        assertThat(asOther(List.of(
                                "sh",
                                "-c",
                                "touch \"$1\"",
                                "sh",
                                stateDir.resolve("spool/planted").toString()))
                        .exitCode())
                .as("planting a file in the spool")
                .isNotZero();

        // 2: the loopback HTTP server wants a token from them too
        Process server = ShadedJar.command(
                        env, "mcp", "serve", "--transport", "http", "--verbose", "--config", config.toString())
                .redirectOutput(tmp.resolve("server.out").toFile())
                .start();
        try {
            int port = awaitPort(server, tmp.resolve("server.out"));
            String url = "http://127.0.0.1:" + port + "/mcp";
            String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                    + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"other\",\"version\":\"1\"}}}";
            String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"delete_backup\",\"arguments\":{\"backup_id\":\"" + id + "\"}}}";
            for (String body : List.of(initialize, call)) {
                assertThat(curlAsOther(url, body, null)).as(body).isEqualTo("401");
                assertThat(curlAsOther(url, body, "not-" + token)).as(body).isEqualTo("401");
            }
            assertThat(curlAsOther(url, initialize, token))
                    .as("the same request with root's token (the server does answer)")
                    .isEqualTo("200");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }

        // 3: they cannot approve root's plan: not from a pipe, and not from a terminal they make either
        String approve = javaCommand(jar) + " approve " + planId.group(1) + " --config " + config;
        Run piped = asOther(List.of("sh", "-c", "echo " + id + " | " + approve));
        assertThat(piped.exitCode())
                .as("refused for the pipe before the config is read: " + piped.out() + piped.err())
                .isEqualTo(ExitCodes.CONFIRMATION_REQUIRED);
        assertThat(piped.out() + piped.err()).contains("interactive terminal");
        Run pty = asOther(List.of("script", "-qec", "echo " + id + " | " + approve + " </dev/tty", "/dev/null"));
        assertThat(pty.exitCode()).as(pty.out() + pty.err()).isNotZero();
        assertThat(pty.out() + pty.err())
                .as("refused because root's config is not theirs to read, and said so")
                .contains("cannot be read by this user: permission denied")
                .doesNotContain("approved");
        assertThat(tree(stateDir.resolve("confirm")))
                .as("no approval was written")
                .noneMatch(p -> p.toString().contains("approvals/"));
        assertThat(Files.exists(home.resolve("backups"))).isTrue();
        Run list = ShadedJar.run(env, "backup", "list", "--config", config.toString());
        assertThat(list.out()).as("root's backup is still there").contains(id);
    }

    private String curlAsOther(String url, String body, String token) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "-H",
                "Accept: application/json, text/event-stream",
                "--data",
                body));
        if (token != null) {
            cmd.add("-H");
            cmd.add("Authorization: Bearer " + token);
        }
        cmd.add(url);
        return asOther(cmd).out().trim();
    }

    /** The port the server says it listens on; on a timeout, the failure holds its threads (SIGQUIT, stdout). */
    private static int awaitPort(Process server, Path stdout) throws Exception {
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
        StringBuffer seen = new StringBuffer();
        CompletableFuture<Integer> port = ShadedJar.onItsOwnThread("server-stderr", () -> {
            try (BufferedReader err =
                    new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                        int p = Integer.parseInt(m.group(1));
                        Thread drain = new Thread(() -> drain(err));
                        drain.setDaemon(true);
                        drain.start();
                        return p;
                    }
                    seen.append(line).append('\n');
                }
                throw new IllegalStateException("the server ended before listening:\n" + seen);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // the JVM prints its threads to stdout on SIGQUIT: what it waits for (an intermittent hang)
            new ProcessBuilder("kill", "-QUIT", Long.toString(server.pid()))
                    .start()
                    .waitFor();
            Thread.sleep(2000);
            throw new AssertionError(
                    "the server did not say where it listens within 60 s (alive: " + server.isAlive()
                            + "); its stderr so far:\n" + seen + "\nits threads:\n"
                            + (Files.exists(stdout) ? Files.readString(stdout) : "(no stdout)"),
                    e);
        }
    }

    private static void drain(BufferedReader err) {
        try {
            while (err.readLine() != null) {
                // keep the server's stderr from filling
            }
        } catch (IOException e) {
            // the server ended
        }
    }

    private static String javaCommand(Path jar) {
        return Path.of(System.getProperty("java.home"), "bin", "java") + " -jar " + jar;
    }

    /** Everything under {@code dir}, directories included, the directory itself first. */
    private static List<Path> tree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.toList();
        }
    }

    /** Opens a directory to others (0755), as an operator's home or /srv might be. */
    private static Path open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private Run asOther(List<String> command) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", other, "--", "env", "HOME=" + tmp));
        full.addAll(command);
        return exec(full);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator), new String[] {"/usr/sbin", "/sbin"})
                .flatMap(Stream::of)
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static Run exec(List<String> command) throws Exception {
        Process p =
                new ProcessBuilder(command).redirectInput(new File("/dev/null")).start();
        return ShadedJar.finish(p, null, 120, String.join(" ", command));
    }
}
