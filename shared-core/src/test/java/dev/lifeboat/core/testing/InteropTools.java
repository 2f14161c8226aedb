package dev.lifeboat.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Interop tests prove that what Lifeboat writes is read by the stock tools a user has without it (the
 * {@code age} and {@code zstd} CLIs), and the other way round. Those tools are optional on a
 * developer's machine: {@link #assumeInstalled} skips a test whose tool is missing, with a message
 * naming the Debian package to install. Where interop is <em>required</em> (CI: {@code .ci/run} exports
 * {@value #REQUIRED_ENV}{@code =1}), a missing tool fails the test instead, so a green run can never
 * hide a skipped interop test.
 *
 * <p>Required means the environment variable {@value #REQUIRED_ENV} is {@code 1} (or {@code true}), or
 * the system property {@value #REQUIRED_PROPERTY} is {@code true} (or {@code 1}). The MCP client
 * interop tests (Node.js) use the same switch.
 *
 * <p>Not for the PostgreSQL binaries ({@code initdb}, {@code pg_ctl}, {@code pg_dump},
 * {@code pg_restore}): every database test needs them, so their absence is always an error (see
 * {@link PgCluster}).
 */
public final class InteropTools {
    /** The environment variable that makes a missing interop tool a failure instead of a skip. */
    public static final String REQUIRED_ENV = "LIFEBOAT_INTEROP_REQUIRED";

    /** The system property that does the same as {@link #REQUIRED_ENV}. */
    public static final String REQUIRED_PROPERTY = "lifeboat.interop.required";

    private InteropTools() {}

    /**
     * Skips the calling test (or every test of the class, from a {@code @BeforeAll}) unless
     * {@code program} is an executable on {@code PATH}; when interop is {@link #required()}, fails it
     * instead.
     *
     * @param program the command the test runs, e.g. {@code "age"}
     * @param debianPackage the Debian package that provides it, e.g. {@code "age"}
     */
    public static void assumeInstalled(String program, String debianPackage) {
        if (onPath(program).isPresent()) {
            return;
        }
        if (required()) {
            Assertions.fail(program + " is not on PATH and interop tests are required (" + REQUIRED_ENV
                    + "=1 or -D" + REQUIRED_PROPERTY + "=true): install the Debian package " + debianPackage
                    + " (apt-get install " + debianPackage + ")");
        }
        String message = program + " is not on PATH: interop test skipped; install the Debian package "
                + debianPackage + " (apt-get install " + debianPackage + ") to run it, or set " + REQUIRED_ENV
                + "=1 to make a missing tool a failure";
        // the test reports keep the message; the console shows only a count of skipped tests without this
        System.err.println("InteropTools: " + caller() + ": " + message);
        Assumptions.abort(message);
    }

    /**
     * Runs {@code commands} as a shell-less pipeline, each one's stdout into the next one's stdin, the
     * first reading {@code input} (when not null), the last one's output discarded, each with {@code env}
     * added to this JVM's environment; asserts that every command exits 0, naming it and its stderr.
     */
    public static void pipeline(Path input, Map<String, String> env, List<List<String>> commands)
            throws IOException, InterruptedException {
        List<ProcessBuilder> builders = new ArrayList<>();
        for (List<String> command : commands) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE);
            pb.environment().putAll(env);
            builders.add(pb);
        }
        if (input != null) {
            builders.get(0).redirectInput(input.toFile());
        }
        builders.get(builders.size() - 1).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        List<Process> processes = ProcessBuilder.startPipeline(builders);
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS))
                    .as("%s finished", commands.get(i))
                    .isTrue();
            assertThat(p.exitValue()).as("%s: %s", commands.get(i), err).isZero();
        }
    }

    /** Runs one command (see {@link #pipeline}) and asserts it exits 0. */
    public static void run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        pipeline(null, env, List.of(command));
    }

    /**
     * Asserts that {@code promtool check metrics} (Debian's prometheus package) accepts the exposition
     * in {@code file} without a lint finding; skipped as {@link #assumeInstalled} says when it is missing.
     */
    public static void assertPromtoolAccepts(Path file) throws IOException, InterruptedException {
        assumeInstalled("promtool", "prometheus");
        Process p = new ProcessBuilder("promtool", "check", "metrics")
                .redirectInput(file.toFile())
                .redirectErrorStream(true)
                .start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("promtool check metrics said: " + said).isZero();
        assertThat(said).as("promtool's lint findings").isBlank();
    }

    /** Whether a missing interop tool fails the test rather than skipping it. */
    public static boolean required() {
        return truthy(System.getProperty(REQUIRED_PROPERTY)) || truthy(System.getenv(REQUIRED_ENV));
    }

    /** Where {@code program} is on this JVM's {@code PATH} (what a {@code ProcessBuilder} would run). */
    public static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The test class and method that called {@link #assumeInstalled}, e.g. "AgeCliInteropIT.ageKeygen". */
    private static String caller() {
        return StackWalker.getInstance()
                .walk(frames -> frames.skip(2)
                        .findFirst()
                        .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                                + f.getMethodName())
                        .orElse("?"));
    }

    private static boolean truthy(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.equals("1") || v.equals("true");
    }
}
