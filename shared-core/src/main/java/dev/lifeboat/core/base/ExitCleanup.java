package dev.lifeboat.core.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files that must not outlive the process that wrote them (a passfile holding a password, a restore
 * spool holding a decrypted dump): registered while they exist and deleted by one shutdown hook on
 * every exit the JVM sees (normal exit, SIGTERM, SIGINT). A kill -9 skips the hook; the writers sweep
 * what a killed process left at their next start.
 */
public final class ExitCleanup {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::deleteAll, "lifeboat-exit-cleanup"));
    }

    private ExitCleanup() {}

    /** {@code file} is deleted when the JVM exits, unless {@link #forget} is called first. */
    public static void register(Path file) {
        LIVE.add(file);
    }

    /** {@code file} was deleted by its owner (or handed on): the hook leaves it alone. */
    public static void forget(Path file) {
        LIVE.remove(file);
    }

    /** What the shutdown hook runs: deletes every registered file; visible for tests. */
    static void deleteAll() {
        for (Path file : LIVE) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the JVM is exiting; what is left is swept at the next start
            }
        }
    }

    /** Whether {@code file} is registered; for tests. */
    static boolean registered(Path file) {
        return LIVE.contains(file);
    }
}
