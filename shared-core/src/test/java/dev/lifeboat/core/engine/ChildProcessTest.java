package dev.lifeboat.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildProcessTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_MESSAGES", "C");

    @Test
    void aChildKeepsThePidTheJvmKnowsInAProcessGroupOfItsOwnWithExactlyItsEnvironment() throws Exception {
        try (ChildProcess child = ChildProcess.start("sleep", List.of("sleep", "30"), ENV, false, null)) {
            String cmdline = awaitExec(child.pid(), "sleep");
            assertThat(cmdline).isEqualTo("sleep 30");
            String[] stat = Files.readString(Path.of("/proc", Long.toString(child.pid()), "stat"))
                    .replaceFirst("^.*\\) ", "")
                    .split(" ");
            assertThat(Long.parseLong(stat[2])).as("process group").isEqualTo(child.pid());
            assertThat(Long.parseLong(stat[3])).as("session").isEqualTo(child.pid());
            assertThat(environ(child.pid())).isEqualTo(ENV);
        }
    }

    @Test
    void theToolsOutputErrorsAndExitCodeComeThroughTheWrapper() throws IOException {
        try (ChildProcess child = ChildProcess.start(
                "sh", List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), ENV, false, null)) {
            try (InputStream out = child.stdout()) {
                assertThat(new String(out.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("out\n");
            }
            assertThat(child.waitFor()).isEqualTo(3);
            assertThat(child.stderr()).isEqualTo("err");
        }
    }

    @Test
    void stderrLinesGoToTheirHandlerAsTheyComeAndOnlyThoseItLeavesAreKept() throws IOException {
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ChildProcess child = ChildProcess.start(
                "sh",
                List.of(
                        "/bin/sh",
                        "-c",
                        "echo 'tool: step 1' >&2; echo 'tool: error: it broke' >&2; printf 'tool: last' >&2"),
                ENV,
                false,
                null,
                line -> {
                    handled.add(line);
                    return !line.contains("error:");
                })) {
            assertThat(child.waitFor()).isZero();
            assertThat(child.stderr()).isEqualTo("tool: error: it broke");
        }
        assertThat(handled).containsExactly("tool: step 1", "tool: error: it broke", "tool: last");
    }

    @Test
    void aChildFedOnStdinReadsItAllAndEndsAtItsEnd() throws IOException {
        try (ChildProcess child = ChildProcess.start("cat", List.of("cat"), ENV, true, null)) {
            try (OutputStream in = child.stdin()) {
                in.write("archive bytes".getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream out = child.stdout()) {
                assertThat(new String(out.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("archive bytes");
            }
            assertThat(child.waitFor(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void aMissingProgramFailsToStartAndStillRunsTheCleanup() {
        boolean[] cleaned = {false};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChildProcess.start(
                        "pg_dump", List.of("/nonexistent/pg_dump"), ENV, false, () -> cleaned[0] = true))
                .hasMessageContaining("cannot start pg_dump (/nonexistent/pg_dump)");
        assertThat(cleaned[0]).isTrue();
    }

    /**
     * The watchdog as a killed Lifeboat leaves it: the process holding the write end of the child's
     * stdin (here a {@code sleep} standing in for the JVM) dies by SIGKILL; the child, and what it
     * started in its group, must follow within seconds.
     */
    @Test
    void aChildFedOnStdinAndItsGroupDieWhenTheProcessThatStartedItIsKilledEvenIfItReadsNothing() throws Exception {
        // the tool reads nothing (a pg_restore waiting on a lock): only the watchdog can take it down
        List<String> fed = ChildProcess.wrapped(List.of("/bin/sh", "-c", "sleep 303 & sleep 304"), true);
        List<String> starter = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & sleep 300", "starter"));
        starter.addAll(fed);
        ProcessBuilder pb = new ProcessBuilder(starter).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(ENV);
        Process standIn = pb.start();
        List<ProcessHandle> sleeps = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sleeps.size() < 2 && System.nanoTime() < deadline) {
            sleeps = standIn.descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("/sleep")
                            && h.info().commandLine().orElse("").matches(".*sleep 30[34]$"))
                    .toList();
            Thread.sleep(20);
        }
        assertThat(sleeps).hasSize(2);

        standIn.destroyForcibly();

        for (ProcessHandle h : sleeps) {
            h.onExit().get(10, TimeUnit.SECONDS);
            assertThat(h.isAlive()).isFalse();
        }
    }

    @Test
    void aFedChildExitsWithItsToolsStatusAndLeavesNoWatchdog() throws IOException {
        try (ChildProcess child = ChildProcess.start("sh", List.of("/bin/sh", "-c", "cat; exit 4"), ENV, true, null)) {
            try (OutputStream in = child.stdin()) {
                in.write("fed\n".getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream out = child.stdout()) {
                assertThat(new String(out.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("fed\n");
            }
            assertThat(child.waitFor()).isEqualTo(4);
        }
    }

    @Test
    void aChildAndItsProcessGroupDieWhenTheProcessThatStartedItIsKilled() throws Exception {
        List<String> wrapped = ChildProcess.wrapped(List.of("/bin/sh", "-c", "sleep 301 & sleep 302"), false);
        ProcessBuilder jvm = new ProcessBuilder("sleep", "300");
        ProcessBuilder child = new ProcessBuilder(wrapped).redirectError(ProcessBuilder.Redirect.DISCARD);
        child.environment().clear();
        child.environment().putAll(ENV);
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(jvm, child));
        Process standIn = pipeline.get(0);
        Process tool = pipeline.get(1);
        awaitExec(tool.pid(), "/bin/sh -c sleep 301");
        List<ProcessHandle> grandchildren = awaitDescendants(tool, 2);

        standIn.destroyForcibly();

        assertThat(tool.waitFor(5, TimeUnit.SECONDS)).as("the tool ended").isTrue();
        for (ProcessHandle h : grandchildren) {
            h.onExit().get(5, TimeUnit.SECONDS);
            assertThat(h.isAlive()).isFalse();
        }
    }

    private static List<ProcessHandle> awaitDescendants(Process p, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> found = p.descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("sleep"))
                    .toList();
            if (found.size() >= n) {
                return found;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the tool did not start its own children");
    }

    /** The child's command line once the wrapper has exec'ed it (starting with {@code prefix}). */
    private static String awaitExec(long pid, String prefix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String cmdline = "";
        while (System.nanoTime() < deadline) {
            cmdline = new String(
                            Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ')
                    .strip();
            if (cmdline.startsWith(prefix)) {
                return cmdline;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("pid " + pid + " never became " + prefix + ": " + cmdline);
    }

    private static Map<String, String> environ(long pid) throws IOException {
        Map<String, String> env = new HashMap<>();
        String all =
                new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
        for (String entry : all.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }
}
