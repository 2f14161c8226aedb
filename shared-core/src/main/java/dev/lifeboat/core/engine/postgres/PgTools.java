package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the PostgreSQL client tools (pg_dump, pg_restore) and their versions, and picks the one to use
 * for a server. A configured directory replaces the search; otherwise PATH and
 * {@code /usr/lib/postgresql/<major>/bin} are searched. Each candidate's version is learnt by running
 * it with {@code --version} once per process: the answer is kept for as long as the file at that path
 * keeps its size and modification time, so a long-running MCP server notices an upgraded binary.
 * {@link #prefetch} starts learning them on a background thread, so the spawn overlaps the caller's
 * other work (a JDBC connect, a checksum pass) instead of adding to it.
 */
public final class PgTools {
    private static final Logger log = LoggerFactory.getLogger(PgTools.class);
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    /**
     * One installed tool.
     *
     * @param name "pg_dump" or "pg_restore"
     * @param path where it is
     * @param major its major version (9 for 9.6, 15 for 15.4)
     * @param minor its minor version (6 for 9.6, 4 for 15.4; 0 if not given)
     * @param versionLine what it printed for --version, e.g. "pg_dump (PostgreSQL) 15.4"
     */
    public record PgTool(String name, Path path, int major, int minor, String versionLine) {
        /** e.g. "pg_dump 15.4 (/usr/lib/postgresql/15/bin/pg_dump)". */
        public String describe() {
            return name + " " + major + "." + minor + " (" + path + ")";
        }
    }

    /** A binary as it is on disk now: a replaced file (upgrade) is a new key and is probed again. */
    private record Probed(String name, Path path, long size, long modifiedMillis) {}

    // per process: every engine (one per operation) shares what was learnt; --version costs a spawn
    private static final Map<Probed, CompletableFuture<Optional<PgTool>>> VERSIONS = new ConcurrentHashMap<>();
    private static final AtomicLong SPAWNS = new AtomicLong();

    private final Path overrideDir;
    private final Map<String, String> environment;

    /**
     * @param overrideDir a directory holding the tools, used instead of searching; null to search
     * @param environment the environment to read PATH from; {@code --version} runs with its allow-listed
     *     part ({@link PgClientEnvironment#base})
     */
    public PgTools(Path overrideDir, Map<String, String> environment) {
        this.overrideDir = overrideDir;
        this.environment = Map.copyOf(environment);
    }

    /** Every {@code name} found, newest first. */
    public List<PgTool> find(String name) {
        List<CompletableFuture<Optional<PgTool>>> pending = new ArrayList<>();
        for (Path candidate : candidates(name)) {
            pending.add(version(name, candidate));
        }
        List<PgTool> found = new ArrayList<>();
        for (CompletableFuture<Optional<PgTool>> f : pending) {
            await(f).ifPresent(found::add);
        }
        found.sort(NEWEST_FIRST);
        return found;
    }

    /**
     * Starts learning the versions of {@code names} on a daemon thread and returns at once; a later
     * {@link #find}/{@link #pick} waits for that probe instead of spawning its own. Failures are left
     * for the later call to report. Returns the thread (a test may wait for it).
     */
    public Thread prefetch(String... names) {
        Thread t = new Thread(
                () -> {
                    for (String name : names) {
                        try {
                            find(name);
                        } catch (RuntimeException e) {
                            log.debug("prefetching {} failed: {}", name, e.toString());
                        }
                    }
                },
                "pg-tools-prefetch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** How many {@code --version} probes this process has spawned (for tests of the cache). */
    static long spawns() {
        return SPAWNS.get();
    }

    private CompletableFuture<Optional<PgTool>> version(String name, Path candidate) {
        Probed key;
        try {
            key = new Probed(
                    name,
                    candidate,
                    Files.size(candidate),
                    Files.getLastModifiedTime(candidate).toMillis());
        } catch (IOException e) {
            log.debug("cannot stat {}: {}", candidate, e.toString());
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<PgTool>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<PgTool>> theirs = VERSIONS.putIfAbsent(key, mine);
        if (theirs != null) {
            return theirs;
        }
        try {
            mine.complete(probeVersion(name, candidate));
        } catch (RuntimeException e) {
            // a cancelled probe is not an answer: let the next caller try again
            VERSIONS.remove(key, mine);
            mine.completeExceptionally(e);
        }
        return mine;
    }

    private static Optional<PgTool> await(CompletableFuture<Optional<PgTool>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            throw new LifeboatException(ErrorCode.CANCELLED, "the operation was cancelled", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The newest {@code name} whose major is at least {@code serverMajor}; TOOL_VERSION naming the
     * server ({@code serverDescription}, may be null) and every version found when there is none.
     */
    public PgTool pick(String name, int serverMajor, String serverDescription) {
        List<PgTool> found = find(name);
        return choose(found, serverMajor).orElseThrow(() -> noneFits(name, serverMajor, serverDescription, found));
    }

    /** The newest installed {@code name}, whatever its version (for reading archives). */
    public PgTool newest(String name) {
        List<PgTool> found = find(name);
        if (found.isEmpty()) {
            throw noneFits(name, 0, null, found);
        }
        return found.get(0);
    }

    /** The newest tool at least as new as {@code serverMajor}; ties go to the earlier candidate. */
    static Optional<PgTool> choose(List<PgTool> found, int serverMajor) {
        return found.stream().filter(t -> t.major() >= serverMajor).min(NEWEST_FIRST);
    }

    private static final Comparator<PgTool> NEWEST_FIRST = Comparator.comparingInt(PgTool::major)
            .thenComparingInt(PgTool::minor)
            .reversed();

    private LifeboatException noneFits(String name, int serverMajor, String serverDescription, List<PgTool> found) {
        String where =
                overrideDir != null ? "in " + overrideDir + " (pg_bin_dir)" : "on PATH or in " + DEBIAN_ROOT + "/*/bin";
        if (found.isEmpty()) {
            return new LifeboatException(
                    ErrorCode.TOOL_VERSION,
                    "no " + name + " found " + where
                            + (serverMajor > 0 ? " (the server runs PostgreSQL " + serverMajor + ")" : ""),
                    "install the PostgreSQL client tools (e.g. apt-get install postgresql-client"
                            + (serverMajor > 0 ? "-" + serverMajor : "") + ") or set pg_bin_dir");
        }
        String server = serverDescription == null ? "a server" : "the server " + serverDescription;
        return new LifeboatException(
                ErrorCode.TOOL_VERSION,
                server + " runs PostgreSQL " + serverMajor + ", which needs " + name + " " + serverMajor
                        + " or newer; found only "
                        + found.stream().map(PgTool::describe).collect(Collectors.joining(", ")),
                "install the PostgreSQL " + serverMajor + " client tools (e.g. apt-get install postgresql-client-"
                        + serverMajor + ") or set pg_bin_dir to a directory holding " + name + " " + serverMajor
                        + " or newer");
    }

    private List<Path> candidates(String name) {
        Set<Path> out = new LinkedHashSet<>();
        if (overrideDir != null) {
            addIfExecutable(out, overrideDir.resolve(name), false);
            return new ArrayList<>(out);
        }
        String path = environment.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isBlank()) {
                addIfExecutable(out, Path.of(dir).resolve(name), true);
            }
        }
        if (Files.isDirectory(DEBIAN_ROOT)) {
            List<Path> versionDirs = new ArrayList<>();
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(DEBIAN_ROOT)) {
                dirs.forEach(versionDirs::add);
            } catch (IOException e) {
                log.debug("cannot list {}: {}", DEBIAN_ROOT, e.toString());
            }
            versionDirs.sort(Comparator.comparing(Path::toString).reversed());
            for (Path d : versionDirs) {
                addIfExecutable(out, d.resolve("bin").resolve(name), true);
            }
        }
        return new ArrayList<>(out);
    }

    private static void addIfExecutable(Set<Path> out, Path file, boolean skipWrapper) {
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            return;
        }
        try {
            Path real = file.toRealPath();
            // Debian's pg_wrapper chooses a version per call from cluster configuration, so a version
            // learnt from it is not a promise; the real binaries it would run are searched anyway.
            if (skipWrapper && real.getFileName().toString().equals("pg_wrapper")) {
                return;
            }
            out.add(real);
        } catch (IOException e) {
            log.debug("cannot resolve {}: {}", file, e.toString());
        }
    }

    private Optional<PgTool> probeVersion(String name, Path tool) {
        SPAWNS.incrementAndGet();
        try (ChildProcess child = ChildProcess.start(
                name, List.of(tool.toString(), "--version"), PgClientEnvironment.base(environment), false, null)) {
            String out;
            try (InputStream in = child.stdout()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            int code = child.waitFor(Duration.ofSeconds(10));
            if (code != 0) {
                log.debug("{} --version exited with {}: {}", tool, code, child.stderr());
                return Optional.empty();
            }
            return parse(name, tool, out);
        } catch (IOException | LifeboatException e) {
            if (e instanceof LifeboatException le && le.code() == ErrorCode.CANCELLED) {
                throw le;
            }
            log.debug("cannot learn the version of {}: {}", tool, e.toString());
            return Optional.empty();
        }
    }

    /** Parses "pg_dump (PostgreSQL) 15.4 (Debian 15.4-1)" and the like. */
    static Optional<PgTool> parse(String name, Path tool, String versionOutput) {
        String line = versionOutput.lines().findFirst().orElse("").strip();
        Matcher m = VERSION.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return Optional.of(new PgTool(name, tool, major, minor, line));
    }
}
