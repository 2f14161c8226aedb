package dev.lifeboat.core.testing;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.DatabaseState;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.engine.RestoreOptions;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A {@link DumpEngine} without PostgreSQL, for fast tests of the core. It plays one server holding
 * databases of tables of text rows; {@link #startDump} streams a {@link FakeArchive} of the source
 * database (deterministic bytes that start with pg_dump's {@code PGDMP} magic, so the core's format
 * checks accept it), {@link #restore} reads such an archive into the target database, and {@link
 * #listArchive}, {@link #archiveContents} and {@link #databaseContents} answer from the same data,
 * so verify at every level, restore drills and restores work end to end.
 *
 * <p>It behaves as the PostgreSQL engine does where the core relies on it: a restore refuses a file
 * without the magic (INTEGRITY_FAILED), a clean restore that fails leaves the target as it was and
 * any other leaves it half restored, a database that exists cannot be created (ALREADY_EXISTS), a
 * dump that fails throws from {@code read} and never ends cleanly, {@link Dump#finish()} before the
 * end of the data is INTERNAL, and closing an unfinished dump aborts it.
 *
 * <p>One instance can serve every operation ({@code db -> engine}): {@link #close()} is counted, not
 * final. Faults are armed with {@link #failAt}, {@link #failDumpAfter} and {@link #unreachable()}
 * and disarmed by {@link #heal()}. What the engine was asked is kept: {@link #calls()}, {@link
 * #dumps()}, {@link #restores()} (with the exact bytes each restore was handed).
 */
public final class FakeDumpEngine implements DumpEngine {

    /** The steps a fault can be armed at. */
    public enum Step {
        PROBE,
        START_DUMP,
        /**
         * the dump's data stream, once {@link #failDumpAfter} bytes were read (default 64: inside the
         * header), or at its end when it is shorter
         */
        DUMP_DATA,
        FINISH_DUMP,
        LIST_ARCHIVE,
        INSPECT,
        CREATE_DATABASE,
        DROP_DATABASE,
        /** after the first table of the archive was restored (a clean restore rolls it back) */
        RESTORE,
        /** the restore of what follows the data (indexes, constraints) from a copy of the archive's head */
        RESTORE_POST_DATA,
        ARCHIVE_CONTENTS,
        DATABASE_CONTENTS,
        /** the swap of a replacing restore or undo: the names stay as they were */
        SWAP
    }

    /**
     * One restore the engine was asked for.
     *
     * @param archive the bytes of the archive file it was handed, read when it was called
     */
    public record RestoreCall(ConnectionSpec target, RestoreOptions options, byte[] archive) {
        /** The SHA-256 of {@link #archive}, hex. */
        public String sha256() {
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private String version = "15.19";
    private int major = 15;
    private final Map<String, SortedMap<String, List<String>>> databases = new TreeMap<>();
    private final Map<Step, Function<ConnectionSpec, LifeboatException>> faults = new EnumMap<>(Step.class);
    private final Map<Step, Runnable> hooks = new EnumMap<>(Step.class);
    private long dumpFailsAfter = 64;
    private boolean unreachable;
    private boolean streams;
    private final List<String> calls = new ArrayList<>();
    private final List<FakeDump> dumps = new ArrayList<>();
    private final List<RestoreCall> restores = new ArrayList<>();
    private int closes;
    private final java.util.Set<String> locked = new java.util.HashSet<>();
    private final Map<String, List<Databases.Session>> connected = new TreeMap<>();
    private Databases.Rights rights = new Databases.Rights(true, true, true);
    private final Databases wholeDatabases = new FakeDatabases();

    // ---- the server ----

    /** The server's version, e.g. "15.19" (major 15) or "16.4". */
    public synchronized FakeDumpEngine serverVersion(String v) {
        version = v;
        major = Integer.parseInt(v.split("\\.")[0]);
        return this;
    }

    /**
     * Creates (or replaces) database {@code name} with tables of generated rows ({@link
     * FakeArchive#rows}); a table name without a schema goes into {@code public}.
     */
    public synchronized FakeDumpEngine database(String name, Map<String, Integer> rowsPerTable) {
        SortedMap<String, List<String>> tables = new TreeMap<>();
        rowsPerTable.forEach((t, n) -> {
            String q = t.contains(".") ? t : "public." + t;
            if (!q.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("fake tables are schema.name in plain identifiers: " + t);
            }
            tables.put(q, FakeArchive.rows(q, n));
        });
        databases.put(name, tables);
        return this;
    }

    /** Creates (or empties) database {@code name}: e.g. a restore target that exists already. */
    public FakeDumpEngine database(String name) {
        return database(name, Map.of());
    }

    /** Sessions connected to {@code db}: a replacing restore names them in its plan and ends them at the swap. */
    public synchronized FakeDumpEngine connected(String db, Databases.Session... sessions) {
        connected.put(db, List.of(sessions));
        return this;
    }

    /** What the login may do: e.g. no CREATEDB, so a replacing restore is refused. */
    public synchronized FakeDumpEngine rights(Databases.Rights r) {
        rights = r;
        return this;
    }

    /** Each table of database {@code name} with its rows, or empty when there is no such database. */
    public synchronized Optional<SortedMap<String, List<String>>> tables(String name) {
        SortedMap<String, List<String>> t = databases.get(name);
        return t == null ? Optional.empty() : Optional.of(new TreeMap<>(t));
    }

    // ---- faults ----

    /**
     * Every call of {@code step} from now fails with TOOL_FAILED, worded as the PostgreSQL engine words
     * a tool that exits 1 (pg_dump, pg_restore) for the steps that run one.
     */
    public synchronized FakeDumpEngine failAt(Step step) {
        faults.put(step, spec -> defaultFailure(step, spec));
        return this;
    }

    /** Every call of {@code step} from now runs {@code hook} first (to see when it happens). */
    public synchronized FakeDumpEngine onEnter(Step step, Runnable hook) {
        hooks.put(step, hook);
        return this;
    }

    /** Every call of {@code step} from now throws {@code failure}. */
    public synchronized FakeDumpEngine failAt(Step step, LifeboatException failure) {
        faults.put(step, spec -> failure);
        return this;
    }

    /** A dump's data stream fails (TOOL_FAILED, as pg_dump exiting 1) once {@code bytes} were read. */
    public synchronized FakeDumpEngine failDumpAfter(long bytes) {
        dumpFailsAfter = bytes;
        return failAt(Step.DUMP_DATA);
    }

    /**
     * Every step that connects to the server (all but listing or reading an archive) fails with
     * DATABASE_UNREACHABLE.
     */
    public synchronized FakeDumpEngine unreachable() {
        unreachable = true;
        return this;
    }

    /** Disarms every fault (the databases stay as they are). */
    public synchronized FakeDumpEngine heal() {
        faults.clear();
        unreachable = false;
        dumpFailsAfter = 64;
        return this;
    }

    // ---- what it was asked ----

    /** Every call, in order: "probe app", "startDump app", "inspect app_copy", "restore app_copy", "close"... */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** Every dump started, in order. */
    public synchronized List<FakeDump> dumps() {
        return List.copyOf(dumps);
    }

    /** Every restore asked for, in order, including those that failed. */
    public synchronized List<RestoreCall> restores() {
        return List.copyOf(restores);
    }

    /** How many times {@link #close()} was called: once per operation that took the engine. */
    public synchronized int closes() {
        return closes;
    }

    // ---- the port ----

    @Override
    public synchronized ServerInfo probe(ConnectionSpec source) {
        enter(Step.PROBE, "probe " + source.dbname(), source);
        requireDatabase(source);
        return server(source);
    }

    @Override
    public synchronized Dump startDump(ConnectionSpec source, DumpOptions options) {
        if (options.compressLevel() < -1 || options.compressLevel() > 9) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid compression level " + options.compressLevel(),
                    "use 0 (none) to 9, or -1 for pg_dump's default");
        }
        enter(Step.START_DUMP, "startDump " + source.dbname(), source);
        SortedMap<String, List<String>> tables = new TreeMap<>(requireDatabase(source));
        FakeDump d = new FakeDump(this, source, options, server(source), tables, fault(Step.DUMP_DATA, source));
        dumps.add(d);
        return d;
    }

    @Override
    public synchronized List<String> listArchive(InputStream archive) {
        enter(Step.LIST_ARCHIVE, "listArchive", null);
        Map<String, Long> toc;
        try {
            toc = FakeArchive.toc(archive);
        } catch (IOException | RuntimeException e) {
            throw toolFailed("pg_restore --list", null, e.getMessage());
        }
        List<String> out = new ArrayList<>();
        int id = 200;
        for (String t : toc.keySet()) {
            String[] sn = t.split("\\.", 2);
            out.add(id++ + "; 1259 " + (16000 + id) + " TABLE " + sn[0] + " " + sn[1] + " lifeboat");
        }
        for (String t : toc.keySet()) {
            String[] sn = t.split("\\.", 2);
            out.add(id++ + "; 0 " + (16000 + id) + " TABLE DATA " + sn[0] + " " + sn[1] + " lifeboat");
        }
        return out;
    }

    @Override
    public synchronized DatabaseState inspect(ConnectionSpec target) {
        enter(Step.INSPECT, "inspect " + target.dbname(), target);
        SortedMap<String, List<String>> t = databases.get(target.dbname());
        return new DatabaseState(server(target), t != null, t == null ? List.of() : List.copyOf(t.keySet()));
    }

    @Override
    public synchronized void createDatabase(ConnectionSpec target) {
        enter(Step.CREATE_DATABASE, "createDatabase " + target.dbname(), target);
        if (databases.containsKey(target.dbname())) {
            throw new LifeboatException(
                    ErrorCode.ALREADY_EXISTS,
                    "database \"" + target.dbname() + "\" already exists on " + target.host() + ":" + target.port(),
                    "choose another target database, or restore over it in clean mode");
        }
        databases.put(target.dbname(), new TreeMap<>());
    }

    @Override
    public synchronized void dropDatabase(ConnectionSpec target) {
        enter(Step.DROP_DATABASE, "dropDatabase " + target.dbname(), target);
        databases.remove(target.dbname());
    }

    /**
     * Restores from a stream from now on, as the PostgreSQL engine does: one-job restores of archives
     * that would be spooled read the store's stream, and a restore whose data streams copies the
     * archive's head (here: the whole fake archive) for what follows the data.
     */
    public synchronized FakeDumpEngine restoringFromAStream() {
        streams = true;
        return this;
    }

    @Override
    public synchronized boolean restoresFromAStream() {
        return streams;
    }

    @Override
    public boolean copyArchiveHead(InputStream archive, Path file) throws IOException {
        Files.write(file, archive.readAllBytes());
        return true;
    }

    @Override
    public void restore(InputStream archive, ConnectionSpec target, RestoreOptions options) {
        byte[] bytes;
        try {
            bytes = archive.readAllBytes(); // to the end, as pg_restore: a damaged archive throws here
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE, "cannot read the archive: " + e.getMessage(), null, e);
        }
        restore("stdin", bytes, target, options);
    }

    @Override
    public void restore(Path archive, ConnectionSpec target, RestoreOptions options) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(archive);
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND, "cannot read the archive " + archive + ": " + e.getMessage(), null);
        }
        restore(archive.toString(), bytes, target, options);
    }

    private synchronized void restore(String archive, byte[] bytes, ConnectionSpec target, RestoreOptions options) {
        calls.add("restore " + target.dbname()
                + (options.sections() == RestoreOptions.Sections.ALL ? "" : " " + options.sections()));
        restores.add(new RestoreCall(target, options, bytes));
        // as the PostgreSQL engine: the file is checked before the server is
        if (bytes.length < 5 || !new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("PGDMP")) {
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    archive + " is not a pg_dump custom-format archive (no PGDMP header)",
                    "only archives made by pg_dump -Fc can be restored");
        }
        if (options.sections() == RestoreOptions.Sections.POST_DATA) {
            // the fake's tables have no indexes or constraints: nothing follows their data
            enter(Step.RESTORE_POST_DATA, "restorePostData " + target.dbname(), target);
            requireDatabase(target);
            return;
        }
        requireReachable(target);
        SortedMap<String, List<String>> into = requireDatabase(target);
        SortedMap<String, List<String>> tables = parse(bytes, "pg_restore", target);
        if (!options.clean()) {
            for (String t : tables.keySet()) {
                if (into.containsKey(t)) {
                    throw toolFailed("pg_restore", target, "relation \"" + t + "\" already exists");
                }
            }
        }
        Runnable hook = hooks.get(Step.RESTORE);
        if (hook != null) {
            hook.run();
        }
        LifeboatException fault = fault(Step.RESTORE, target);
        if (fault != null) {
            if (!options.clean() && !tables.isEmpty()) {
                // without --single-transaction, what pg_restore did before failing stays
                into.put(tables.firstKey(), tables.get(tables.firstKey()));
            }
            throw fault;
        }
        into.putAll(tables);
    }

    @Override
    public Databases databases() {
        return wholeDatabases;
    }

    /** Whole databases on the fake server: profiles are plain, swaps rename in the map, locks are in memory. */
    private final class FakeDatabases implements Databases {
        @Override
        public Optional<DatabaseProfile> profile(ConnectionSpec db) {
            synchronized (FakeDumpEngine.this) {
                requireReachable(db);
                if (!databases.containsKey(db.dbname())) {
                    return Optional.empty();
                }
                return Optional.of(new DatabaseProfile(
                        db.dbname(),
                        db.user(),
                        "UTF8",
                        "C",
                        "C",
                        "pg_default",
                        8192,
                        -1,
                        true,
                        null,
                        "c",
                        null,
                        List.of(),
                        null));
            }
        }

        @Override
        public List<Session> sessions(ConnectionSpec db) {
            synchronized (FakeDumpEngine.this) {
                return connected.getOrDefault(db.dbname(), List.of());
            }
        }

        @Override
        public Rights rights(ConnectionSpec db) {
            synchronized (FakeDumpEngine.this) {
                return rights;
            }
        }

        @Override
        public List<String> namesStartingWith(ConnectionSpec server, String prefix) {
            synchronized (FakeDumpEngine.this) {
                return databases.keySet().stream()
                        .filter(n -> n.startsWith(prefix))
                        .toList();
            }
        }

        @Override
        public void createLike(ConnectionSpec db, DatabaseProfile like) {
            createDatabase(db);
        }

        @Override
        public void carryOver(DatabaseProfile from, ConnectionSpec db) {
            synchronized (FakeDumpEngine.this) {
                calls.add("carryOver " + from.name() + " -> " + db.dbname());
            }
        }

        @Override
        public List<Session> swap(ConnectionSpec target, String incoming, String keptAs, java.time.Duration grace) {
            synchronized (FakeDumpEngine.this) {
                enter(Step.SWAP, "swap " + target.dbname() + " <- " + incoming + " (kept as " + keptAs + ")", target);
                SortedMap<String, List<String>> old = requireDatabase(target);
                SortedMap<String, List<String>> in = requireDatabase(target.withDatabase(incoming));
                databases.put(keptAs, old);
                databases.put(target.dbname(), in);
                databases.remove(incoming);
                List<Session> ended = connected.getOrDefault(target.dbname(), List.of());
                connected.remove(target.dbname());
                return ended;
            }
        }

        @Override
        public Optional<Databases.Lock> tryLock(ConnectionSpec server, String name) {
            synchronized (FakeDumpEngine.this) {
                if (!locked.add(name)) {
                    return Optional.empty();
                }
            }
            return Optional.of(() -> {
                synchronized (FakeDumpEngine.this) {
                    locked.remove(name);
                }
            });
        }

        @Override
        public void allowConnections(ConnectionSpec db, boolean allow) {
            synchronized (FakeDumpEngine.this) {
                calls.add("allowConnections " + db.dbname() + " " + allow);
            }
        }
    }

    @Override
    public synchronized void prepareRestore() {
        calls.add("prepareRestore");
    }

    @Override
    public synchronized void close() {
        calls.add("close");
        closes++;
    }

    @Override
    public synchronized String toolFor(int serverMajor) {
        calls.add("toolFor " + serverMajor);
        return "pg_dump " + version + " (fake), pg_restore " + version + " (fake)";
    }

    @Override
    public synchronized Map<String, TableContent> archiveContents(Path archive) {
        enter(Step.ARCHIVE_CONTENTS, "archiveContents", null);
        try {
            return FakeArchive.contents(parse(Files.readAllBytes(archive), "pg_restore --data-only", null));
        } catch (IOException e) {
            throw toolFailed("pg_restore --data-only", null, e.getMessage());
        }
    }

    @Override
    public synchronized Map<String, TableContent> databaseContents(ConnectionSpec db) {
        enter(Step.DATABASE_CONTENTS, "databaseContents " + db.dbname(), db);
        return FakeArchive.contents(new TreeMap<>(requireDatabase(db)));
    }

    // ---- inside ----

    /** Records the call, then fails if the server is unreachable (for a connecting step) or a fault is armed. */
    private void enter(Step step, String call, ConnectionSpec spec) {
        calls.add(call);
        Runnable hook = hooks.get(step);
        if (hook != null) {
            hook.run();
        }
        if (spec != null) {
            requireReachable(spec);
        }
        LifeboatException fault = fault(step, spec);
        if (fault != null) {
            throw fault;
        }
    }

    private void requireReachable(ConnectionSpec spec) {
        if (unreachable) {
            throw new LifeboatException(
                    ErrorCode.DATABASE_UNREACHABLE,
                    "cannot connect to " + spec.describe() + ": Connection to " + spec.host() + ":" + spec.port()
                            + " refused (fake)",
                    "check host and port, that the server is running and accepts TCP connections"
                            + " (listen_addresses, pg_hba.conf, firewall)");
        }
    }

    /** The failure armed for {@code step}, made for {@code spec}; null when none is armed. */
    synchronized LifeboatException fault(Step step, ConnectionSpec spec) {
        Function<ConnectionSpec, LifeboatException> f = faults.get(step);
        return f == null ? null : f.apply(spec);
    }

    private SortedMap<String, List<String>> requireDatabase(ConnectionSpec spec) {
        SortedMap<String, List<String>> t = databases.get(spec.dbname());
        if (t == null) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "database \"" + spec.dbname() + "\" does not exist on " + spec.host() + ":" + spec.port(),
                    "check dbname, or create the database first");
        }
        return t;
    }

    private ServerInfo server(ConnectionSpec spec) {
        return new ServerInfo(spec.host(), spec.port(), spec.dbname(), spec.user(), version, major);
    }

    private static SortedMap<String, List<String>> parse(byte[] archive, String tool, ConnectionSpec spec) {
        try {
            return FakeArchive.read(new ByteArrayInputStream(archive));
        } catch (IOException | RuntimeException e) {
            throw toolFailed(tool, spec, String.valueOf(e.getMessage()));
        }
    }

    /** What {@code tool} exiting 1 after saying {@code error} looks like: TOOL_FAILED with its (fake) stderr. */
    static LifeboatException toolFailed(String tool, ConnectionSpec spec, String error) {
        return new LifeboatException(
                ErrorCode.TOOL_FAILED,
                tool + (spec == null ? "" : " for " + spec.describe()) + " failed with exit code 1: "
                        + tool.split(" ")[0] + ": error: " + error + " (fake)",
                null);
    }

    private static LifeboatException defaultFailure(Step step, ConnectionSpec spec) {
        return switch (step) {
            case START_DUMP, DUMP_DATA, FINISH_DUMP ->
                toolFailed("pg_dump", spec, "Dumping the contents of a table failed: injected");
            case RESTORE -> toolFailed("pg_restore", spec, "could not execute query: injected");
            case LIST_ARCHIVE -> toolFailed("pg_restore --list", spec, "could not read input file: injected");
            case ARCHIVE_CONTENTS -> toolFailed("pg_restore --data-only", spec, "could not read input file: injected");
            case DATABASE_CONTENTS -> toolFailed("pg_dump --data-only", spec, "query failed: injected");
            default ->
                new LifeboatException(
                        ErrorCode.TOOL_FAILED,
                        "injected failure at " + step + (spec == null ? "" : " for " + spec.describe()) + " (fake)",
                        null);
        };
    }

    synchronized long dumpFailsAfter() {
        return dumpFailsAfter;
    }

    synchronized String toolVersion() {
        return "pg_dump (PostgreSQL) " + version;
    }

    synchronized void record(String call) {
        calls.add(call);
    }

    synchronized String version() {
        return version;
    }
}
