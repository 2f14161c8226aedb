package dev.lifeboat.core.base;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that belong to the process that wrote them, one directory and one name shape per kind
 * ({@code <prefix><pid>-<anything>-<digits><suffix>}, the digits {@code Files.createTempFile}'s: passfiles in {@code state_dir/run}, restore spools in
 * {@code state_dir/spool}). The writer deletes its own (and {@link ExitCleanup} on any exit the JVM
 * sees); what a killed writer left is found by the pid in the name: a file is stale when no process
 * has that pid any more, or the one that has it started after the file was written (the pid was
 * reused), or it is older than {@link #MAX_AGE} and not this process's. One rule for every kind, so
 * that the start-up sweeps and {@code lifeboat gc} agree on what is left over.
 *
 * @param dir the directory (never followed through a link: a sweep of a planted link finds nothing)
 * @param prefix the start of every name of this kind
 * @param suffix the end of every name of this kind
 * @param directories whether this kind is directories (removed with what they hold) rather than files
 */
public record StaleFiles(Path dir, String prefix, String suffix, boolean directories) {
    /** A file this old is stale even when a process with its writer's pid still runs. */
    public static final Duration MAX_AGE = Duration.ofHours(24);
    /** How far a process's start time, as the JVM learns it from /proc, may be off. */
    private static final Duration START_TIME_SLACK = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(StaleFiles.class);

    /** A stale file: where, how big, when it was written and by which pid (null: the name has none). */
    public record Stale(Path file, long bytes, Instant written, Long pid) {}

    /** The temporary libpq passfiles in {@code dir} ({@code state_dir/run}): each holds a password. */
    public static StaleFiles passfiles(Path dir) {
        return new StaleFiles(dir, "lifeboat-pgpass-", ".tmp", false);
    }

    /** The restore spool files under {@code stateDir}: downloaded, and for some decrypted, dumps. */
    public static StaleFiles spool(Path stateDir) {
        return new StaleFiles(stateDir.resolve("spool"), "lifeboat-spool-", ".dump", false);
    }

    /**
     * The temporary files {@link PrivateFiles} writes beside the file they become, in {@code dir}
     * (remembered objective states, plans, the audit key): a kill between writing one and renaming it
     * leaves it behind.
     */
    public static StaleFiles privateTemps(Path dir) {
        return new StaleFiles(dir, ".lifeboat-", ".tmp", false);
    }

    /** The scratch directories of directory restore drills under {@code stateDir}: a backup's files. */
    public static StaleFiles drills(Path stateDir) {
        return new StaleFiles(stateDir.resolve("drills"), "lifeboat-drill-", "", true);
    }

    /** The start of a new file's name for this process: {@code <prefix><pid>-}. */
    public String namePrefix() {
        return prefix + ProcessHandle.current().pid() + "-";
    }

    /** The stale files of this kind, oldest first; none when the directory is missing or unreadable. */
    public List<Stale> list() {
        List<Stale> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        Pattern name = Pattern.compile(Pattern.quote(prefix) + "(?:(\\d+)-)?(?:.*-)?\\d+" + Pattern.quote(suffix));
        Instant now = Instant.now();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob(prefix) + "*" + glob(suffix))) {
            for (Path file : files) {
                Matcher m = name.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                try {
                    BasicFileAttributes attrs =
                            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (directories ? !attrs.isDirectory() : !attrs.isRegularFile()) {
                        continue;
                    }
                    Instant written = attrs.lastModifiedTime().toInstant();
                    Long pid = m.group(1) == null ? null : Long.valueOf(m.group(1));
                    if (writerGone(pid, written, now)) {
                        out.add(new Stale(file, directories ? sizeOf(file) : attrs.size(), written, pid));
                    }
                } catch (IOException | NumberFormatException e) {
                    log.debug("cannot look at {}: {}", file, e.toString());
                }
            }
        } catch (IOException e) {
            log.warn("cannot look for stale files in {}: {}", dir, e.toString());
        }
        out.sort(java.util.Comparator.comparing(Stale::written));
        return out;
    }

    /**
     * Deletes the stale files of this kind. Best effort: what cannot be deleted is logged and left.
     *
     * @return how many were removed
     */
    public int sweep() {
        int removed = 0;
        for (Stale s : list()) {
            try {
                remove(s.file());
                removed++;
            } catch (IOException e) {
                log.warn("cannot remove {}: {}", s.file(), e.toString());
            }
        }
        if (removed > 0) {
            log.info("removed {} file(s) left in {} by processes that are gone", removed, dir);
        }
        return removed;
    }

    /**
     * Whether the process {@code pid} (null: unknown) that wrote or started something at {@code since}
     * is gone: no process has the pid, or the one that has it started later, or {@code since} is older
     * than {@link #MAX_AGE} and the pid is not this process's.
     */
    public static boolean writerGone(Long pid, Instant since, Instant now) {
        boolean old = since.isBefore(now.minus(MAX_AGE));
        if (pid == null) {
            return old;
        }
        Optional<ProcessHandle> writer = ProcessHandle.of(pid);
        if (writer.isEmpty() || !writer.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = writer.get().info().startInstant();
        if (started.isPresent() && started.get().isAfter(since.plus(START_TIME_SLACK))) {
            return true; // the writer is gone; another process got its pid
        }
        return old && pid != ProcessHandle.current().pid();
    }

    /** Deletes {@code file}, or the directory and everything in it, never following a link. */
    public static void remove(Path file) throws IOException {
        if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(file);
            return;
        }
        Files.walkFileTree(file, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.deleteIfExists(f);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    /** The bytes of the regular files under {@code dir}; what cannot be read counts as nothing. */
    public static long sizeOf(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static String glob(String literal) {
        return literal.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }
}
