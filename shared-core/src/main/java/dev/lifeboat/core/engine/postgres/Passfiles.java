package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.ExitCleanup;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.PrivateDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary libpq passfiles that hand a password to pg_dump and pg_restore, in one directory
 * (Lifeboat's wiring uses {@code state_dir/run}, created owner-only). Each is created 0600 and named
 * {@code lifeboat-pgpass-<pid>-<random>.tmp} after the process that writes it; it is deleted when its
 * child ends, and at the latest when the JVM exits (a shutdown hook, which also runs on SIGTERM and
 * SIGINT). A file left behind by a process that could not clean up (SIGKILL, a crash, a power cut) is
 * removed by {@link #sweep()} when the next engine starts: one whose writer is gone.
 */
final class Passfiles {
    static final String PREFIX = "lifeboat-pgpass-";
    static final String SUFFIX = ".tmp";
    /** A passfile this old is swept even when a process with its writer's pid still runs. */
    static final Duration MAX_AGE = Duration.ofHours(24);
    /** How far a process's start time, as the JVM learns it from /proc, may be off. */
    private static final Duration START_TIME_SLACK = Duration.ofSeconds(2);

    private static final Pattern NAME =
            Pattern.compile(Pattern.quote(PREFIX) + "(?:(\\d+)-)?\\d+" + Pattern.quote(SUFFIX));
    private static final Logger log = LoggerFactory.getLogger(Passfiles.class);
    private final Path dir;

    /** Passfiles in {@code dir}, created owner-only (and its parents) when the first one is written. */
    Passfiles(Path dir) {
        this.dir = dir;
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
        Path file = null;
        try {
            PrivateDirectories.ensure(dir);
            file = Files.createTempFile(
                    dir,
                    PREFIX + ProcessHandle.current().pid() + "-",
                    SUFFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ExitCleanup.register(file);
            Files.write(
                    file,
                    ("*:*:*:*:" + escaped + "\n").getBytes(StandardCharsets.UTF_8),
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
                    "cannot write a temporary passfile in " + dir + ": " + e.getMessage(),
                    "check that the directory is writable by the user Lifeboat runs as");
        }
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
     * Removes the passfiles in the directory whose writer is gone: no process has its pid, or the one
     * that has it started after the file was written (the pid was reused), or it is older than {@link
     * #MAX_AGE} and not this process's. Best effort: what cannot be listed or deleted is logged and left.
     *
     * @return how many were removed
     */
    int sweep() {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        Instant now = Instant.now();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                try {
                    BasicFileAttributes attrs =
                            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!attrs.isRegularFile()) {
                        continue;
                    }
                    Instant written = attrs.lastModifiedTime().toInstant();
                    Long pid = m.group(1) == null ? null : Long.valueOf(m.group(1));
                    if (isStale(pid, written, now) && Files.deleteIfExists(file)) {
                        removed++;
                    }
                } catch (IOException | NumberFormatException e) {
                    log.debug("cannot sweep {}: {}", file, e.toString());
                }
            }
        } catch (IOException e) {
            log.warn("cannot look for stale passfiles in {}: {}", dir, e.toString());
        }
        if (removed > 0) {
            log.info("removed {} temporary passfile(s) left in {} by processes that are gone", removed, dir);
        }
        return removed;
    }

    /** Whether a passfile written at {@code written} by process {@code pid} (null: unknown) is stale. */
    static boolean isStale(Long pid, Instant written, Instant now) {
        boolean old = written.isBefore(now.minus(MAX_AGE));
        if (pid == null) {
            return old;
        }
        Optional<ProcessHandle> writer = ProcessHandle.of(pid);
        if (writer.isEmpty() || !writer.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = writer.get().info().startInstant();
        if (started.isPresent() && started.get().isAfter(written.plus(START_TIME_SLACK))) {
            return true; // the writer is gone; another process got its pid
        }
        return old && pid != ProcessHandle.current().pid();
    }
}
