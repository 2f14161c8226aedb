package dev.lifeboat.core.testing;

import java.util.List;

/** The processes a test left running: a cancelled or killed backup must leave no {@code pg_dump} behind. */
public final class ChildProcesses {
    private ChildProcesses() {}

    /** The {@code pg_dump} processes below this JVM. */
    public static List<ProcessHandle> pgDump() {
        return pgDump(ProcessHandle.current());
    }

    /** The {@code pg_dump} processes below {@code parent} (e.g. a spawned server). */
    public static List<ProcessHandle> pgDump(ProcessHandle parent) {
        return parent.descendants()
                .filter(p -> p.info().command().orElse("").endsWith("pg_dump"))
                .toList();
    }
}
