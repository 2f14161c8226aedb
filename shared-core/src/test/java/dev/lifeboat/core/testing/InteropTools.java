package dev.lifeboat.core.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
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
