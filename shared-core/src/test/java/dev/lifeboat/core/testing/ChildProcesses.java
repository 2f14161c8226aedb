package dev.lifeboat.core.testing;

import java.time.Duration;
import java.util.List;

/** The processes a test left running: a cancelled or killed backup or restore must leave no child behind. */
public final class ChildProcesses {
    private ChildProcesses() {}

    /** The {@code pg_dump} processes below this JVM. */
    public static List<ProcessHandle> pgDump() {
        return pgDump(ProcessHandle.current());
    }

    /** The {@code pg_dump} processes below {@code parent} (e.g. a spawned server). */
    public static List<ProcessHandle> pgDump(ProcessHandle parent) {
        return named(parent, "pg_dump");
    }

    /** The {@code pg_restore} processes below this JVM: a cancelled restore must leave none behind. */
    public static List<ProcessHandle> pgRestore() {
        return named(ProcessHandle.current(), "pg_restore");
    }

    /**
     * The first live {@code tool} process below this JVM, waited for up to 10 s (a test that just
     * started a dump or restore, to kill or watch it); fails the test when none appears.
     */
    public static ProcessHandle await(String tool) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ProcessHandle p : named(ProcessHandle.current(), tool)) {
                if (p.isAlive()) {
                    return p;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + tool + " child process appeared");
    }

    private static List<ProcessHandle> named(ProcessHandle parent, String tool) {
        return parent.descendants()
                .filter(p -> p.info().command().orElse("").endsWith(tool))
                .toList();
    }
}
