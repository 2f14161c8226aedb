package dev.lifeboat.core.base;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a run's time goes: with {@code LIFEBOAT_TIMELINE=1} in the environment, every {@link #mark}
 * prints one line to stderr saying how long after the start the phase was reached and how much CPU
 * the process had used by then, e.g. {@code lifeboat timeline: 412.7 ms cpu 590 ms [main] configuration
 * loaded}. Off by default, and then a mark costs one field read.
 *
 * <p>Always stderr: stdout is JSON with {@code --json} and JSON-RPC for the stdio MCP server. The
 * stream is taken from the file descriptor, not {@code System.err} at the time of the mark, so a
 * replaced {@code System.out}/{@code System.err} cannot route it into a protocol stream.
 *
 * <p>Time zero is when the launcher started ({@code bin/lifeboat} exports {@code
 * LIFEBOAT_TIMELINE_START}, nanoseconds since the epoch, when the timeline is on), so the first mark
 * includes the shell script and the JVM's own start; without it, when the process started (the
 * kernel's clock ticks: 10 ms steps). CPU is the whole process's (every thread, the JIT and the
 * collector included), which on a loaded machine says more than the wall time.
 */
public final class Timeline {
    private static final boolean ON = enabled(System.getenv("LIFEBOAT_TIMELINE"));
    private static final Instant ZERO = ON ? zero(System.getenv("LIFEBOAT_TIMELINE_START")) : Instant.EPOCH;
    private static final PrintStream OUT = ON ? stderr() : null;

    private Timeline() {}

    /** Whether marks print (the environment asked for a timeline). */
    public static boolean on() {
        return ON;
    }

    /** Says on stderr that {@code phase} was reached now; does nothing unless the timeline is on. */
    public static void mark(String phase) {
        if (ON) {
            print(phase);
        }
    }

    private static void print(String phase) {
        double millis = Duration.between(ZERO, Instant.now()).toNanos() / 1e6;
        long cpu = ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(Duration::toMillis)
                .orElse(-1L);
        String line = String.format(
                java.util.Locale.ROOT,
                "lifeboat timeline: %8.1f ms  cpu %5d ms  [%s] %s",
                millis,
                cpu,
                Thread.currentThread().getName(),
                phase);
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    static boolean enabled(String value) {
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    static Instant zero(String launcherStartNanos) {
        if (launcherStartNanos != null) {
            try {
                long nanos = Long.parseLong(launcherStartNanos.trim());
                return Instant.ofEpochSecond(0, nanos);
            } catch (NumberFormatException e) {
                // a launcher without nanosecond `date` (busybox prints %N literally): fall back
            }
        }
        return ProcessHandle.current().info().startInstant().orElse(Instant.now());
    }

    private static PrintStream stderr() {
        return new PrintStream(
                new java.io.FileOutputStream(java.io.FileDescriptor.err),
                true,
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
