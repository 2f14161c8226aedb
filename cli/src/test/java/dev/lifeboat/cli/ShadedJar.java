package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.PgCluster;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shaded jar run as a user runs it, for the tests that need the whole process (killed runs, the
 * quick start): {@code java -jar} with exactly the environment given and stdin from /dev/null.
 */
final class ShadedJar {
    static final Path JAR = Path.of("target", "lifeboat.jar");

    /** A finished run: its exit code and what it printed. */
    record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private ShadedJar() {}

    /** The process to start; its output is the caller's to redirect or read. */
    static ProcessBuilder command(Map<String, String> env, String... args) {
        assertThat(JAR).as("the shaded jar (built by the package phase)").isRegularFile();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs to the end (two minutes at most); stderr is drained beside stdout so a chatty run cannot block. */
    static Run run(Map<String, String> env, String... args) throws Exception {
        return finish(command(env, args).start(), null, 120, String.join(" ", args));
    }

    /**
     * Waits for {@code p} to end (at most {@code seconds}, else the test fails naming {@code what}),
     * reading stdout and stderr beside each other so a chatty process cannot block, after writing
     * {@code stdin} (when not null) to it and closing it.
     */
    static Run finish(Process p, String stdin, long seconds, String what) throws Exception {
        CompletableFuture<String> err = onItsOwnThread("stderr", () -> drain(p.getErrorStream()));
        CompletableFuture<String> out = onItsOwnThread("stdout", () -> drain(p.getInputStream()));
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as(what).isTrue();
        return new Run(p.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
    }

    /**
     * {@code work} on a daemon thread of its own. Not the common pool: blocking reads there wait for each
     * other (on 2 cores it has one thread), so a drain queued behind another never runs and a test
     * waits out its timeout.
     */
    static <T> CompletableFuture<T> onItsOwnThread(String name, java.util.function.Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        result.complete(work.get());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                },
                "test-" + name);
        t.setDaemon(true);
        t.start();
        return result;
    }

    private static String drain(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How a user's shell reaches the cluster's database {@code db}: libpq's variables, PATH and HOME. */
    static Map<String, String> libpqEnv(Path home, PgCluster cluster, String db, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("PGHOST", cluster.host());
        env.put("PGPORT", Integer.toString(cluster.port()));
        env.put("PGUSER", PgCluster.SUPERUSER);
        env.put("PGDATABASE", db);
        env.put("PGPASSWORD", password);
        env.put("PGSSLMODE", "disable");
        return env;
    }

    /** The first process below {@code parent} running {@code name}, waiting up to {@code timeout}; null if none came. */
    static ProcessHandle awaitChild(Process parent, String name, Duration timeout) throws InterruptedException {
        return awaitChild(parent, name, "", timeout);
    }

    /** As above, for a child one of whose arguments starts with {@code argumentPrefix} (e.g. "--dbname"). */
    static ProcessHandle awaitChild(Process parent, String name, String argumentPrefix, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && parent.isAlive()) {
            var found = parent.descendants()
                    .filter(h ->
                            h.info().command().map(c -> c.endsWith("/" + name)).orElse(false))
                    .filter(h -> java.util.Arrays.stream(h.info().arguments().orElse(new String[0]))
                            .anyMatch(a -> a.startsWith(argumentPrefix)))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        return null;
    }
}
