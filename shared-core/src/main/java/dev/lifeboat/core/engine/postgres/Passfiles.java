package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.ExitCleanup;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.StaleFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

/**
 * The temporary libpq passfiles that hand a password to pg_dump and pg_restore, in one directory
 * (Lifeboat's wiring uses {@code state_dir/run}, created owner-only). Each is created 0600 and named
 * {@code lifeboat-pgpass-<pid>-<random>.tmp} after the process that writes it; it is deleted when its
 * child ends, and at the latest when the JVM exits (a shutdown hook, which also runs on SIGTERM and
 * SIGINT). A file left behind by a process that could not clean up (SIGKILL, a crash, a power cut) is
 * removed by {@link #sweep()} before the next one is written: one whose writer is gone. (Not when an
 * engine starts: an engine that only asks questions over JDBC, as {@code gc} does, writes no
 * passfile and so changes nothing there.)
 */
final class Passfiles {
    static final String PREFIX = "lifeboat-pgpass-";
    static final String SUFFIX = ".tmp";
    /** A passfile this old is swept even when a process with its writer's pid still runs. */
    static final Duration MAX_AGE = StaleFiles.MAX_AGE;

    private final Path dir;
    private final StaleFiles files;
    private final java.util.concurrent.atomic.AtomicBoolean swept = new java.util.concurrent.atomic.AtomicBoolean();

    /** Passfiles in {@code dir}, created owner-only (and its parents) when the first one is written. */
    Passfiles(Path dir) {
        this.dir = dir;
        this.files = files(dir);
    }

    /** The passfiles of {@code dir} as files that belong to their writer's process. */
    static StaleFiles files(Path dir) {
        return StaleFiles.passfiles(dir);
    }

    Path directory() {
        return dir;
    }

    /**
     * Writes a one-line libpq passfile matching any connection, created 0600 from the start in the
     * directory, itself created owner-only if missing (a symbolic link planted there is refused).
     */
    Path write(String password) {
        if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the password contains a line break, which libpq's passfile cannot hold",
                    "use a password without line breaks");
        }
        String escaped = password.replace("\\", "\\\\").replace(":", "\\:");
        return writeFile("*:*:*:*:" + escaped + "\n");
    }

    /**
     * Writes {@code content} to a new 0600 file here, under the same rules as a passfile (swept when
     * its writer is gone, removed at exit): how a selective restore hands pg_restore its use-list, so
     * the child keeps the stdin pipe that kills it when Lifeboat dies.
     */
    Path writeFile(String content) {
        if (swept.compareAndSet(false, true)) {
            sweep();
        }
        Path file = null;
        try {
            PrivateDirectories.ensure(dir);
            file = Files.createTempFile(
                    dir,
                    files.namePrefix(),
                    SUFFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ExitCleanup.register(file);
            Files.write(
                    file,
                    content.getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS);
            return file;
        } catch (IOException e) {
            if (file != null) {
                delete(file);
            }
            throw new LifeboatException(
                    ErrorCode.INTERNAL,
                    "cannot write a temporary file in " + dir + ": " + e.getMessage(),
                    "check that the directory is writable by the user Lifeboat runs as");
        }
    }

    /** A pg_restore {@code --use-list} file naming the archive entries {@code ids}, in that order. */
    Path writeUseList(java.util.List<Integer> ids) {
        StringBuilder list = new StringBuilder();
        ids.forEach(id -> list.append(id).append(";\n"));
        return writeFile(list.toString());
    }

    /** {@code cleanup} (may be null), then {@code file} (may be null) deleted: a child's end. */
    Runnable alsoDeleting(Runnable cleanup, Path file) {
        if (file == null) {
            return cleanup;
        }
        return () -> {
            try {
                if (cleanup != null) {
                    cleanup.run();
                }
            } finally {
                delete(file);
            }
        };
    }

    /** Deletes a passfile written by {@link #write}; fine if it is gone already. */
    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
            ExitCleanup.forget(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary passfile " + file, e);
        }
    }

    /**
     * Removes the passfiles in the directory whose writer is gone ({@link StaleFiles}: the rule the
     * restore spool and {@code lifeboat gc} use too). Best effort: what cannot be deleted is logged and
     * left.
     *
     * @return how many were removed
     */
    int sweep() {
        return files.sweep();
    }

    /** Whether a passfile written at {@code written} by process {@code pid} (null: unknown) is stale. */
    static boolean isStale(Long pid, Instant written, Instant now) {
        return StaleFiles.writerGone(pid, written, now);
    }
}
