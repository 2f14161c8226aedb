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
 *
 * <p>A file registered once the JVM has begun to exit (Ctrl-C arrived while the operation was still
 * starting) would never be deleted: it is deleted at once and the caller is told the operation was
 * cancelled, so nothing secret is written after the hook has run.
 */
public final class ExitCleanup {
    private static final ExitCleanup PROCESS = new ExitCleanup();

    static {
        PROCESS.addHook();
    }

    private final Set<Path> live = ConcurrentHashMap.newKeySet();
    private volatile boolean exiting;

    ExitCleanup() {}

    /**
     * Registers the hook now rather than at the first file: called first thing by each entry point, so
     * an interrupt that arrives early still finds it in place. Calling it again does nothing.
     */
    public static void install() {
        // the static initialiser has done the work
    }

    /**
     * {@code file} is deleted when the JVM exits, unless {@link #forget} is called first.
     *
     * @throws LifeboatException {@link ErrorCode#CANCELLED} when the JVM is already exiting; the file
     *     has been deleted
     */
    public static void register(Path file) {
        PROCESS.add(file);
    }

    /** {@code file} was deleted by its owner (or handed on): the hook leaves it alone. */
    public static void forget(Path file) {
        PROCESS.remove(file);
    }

    private void addHook() {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(this::deleteAll, "lifeboat-exit-cleanup"));
        } catch (IllegalStateException shutdownInProgress) {
            // the JVM began to exit before anything was written: nothing may be written now
            exiting = true;
        }
    }

    void add(Path file) {
        live.add(file);
        // checked after adding: either the hook's sweep sees the file, or this sees the flag
        if (exiting) {
            live.remove(file);
            deleteQuietly(file);
            throw new LifeboatException(
                    ErrorCode.CANCELLED,
                    "the operation was cancelled: Lifeboat is exiting; nothing was committed",
                    null);
        }
    }

    void remove(Path file) {
        live.remove(file);
    }

    /** What the shutdown hook runs: deletes every registered file and refuses new ones. */
    void deleteAll() {
        exiting = true;
        for (Path file : live) {
            deleteQuietly(file);
        }
    }

    boolean registered(Path file) {
        return live.contains(file);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the JVM is exiting; what is left is swept at the next start
        }
    }
}
