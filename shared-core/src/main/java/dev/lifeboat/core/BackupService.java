package dev.lifeboat.core;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.Version;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.HashingInputStream;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.catalog.ManifestCache;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.compress.ZstdCompression;
import dev.lifeboat.core.config.ApprovalMode;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.RowCounts;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.crypto.AgeRecipients;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.DatabaseState;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.engine.RestoreOptions;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.engine.postgres.PgDumpEngine;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerificationReport.Check;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The use cases of Lifeboat. Every front end (CLI, MCP server) calls this and nothing below it.
 * Methods throw {@link LifeboatException} for expected failures; a failed verification is a report.
 */
public final class BackupService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern DBNAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");

    private final LifeboatConfig config;
    private final Function<DatabaseConfig, DumpEngine> engines;
    private final Function<StoreConfig, BackupStore> storeOpener;
    private final PasswordSources passwords;
    private final Confirmations confirmations;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, BackupStore> stores = new ConcurrentHashMap<>();
    private final DirectoryBackups directories;

    /**
     * @param engines the dump engine for a configured database (called with null when only archive
     *     tools are needed and the backup's database is not configured here)
     * @param storeOpener opens a configured store
     */
    public BackupService(
            LifeboatConfig config,
            Function<DatabaseConfig, DumpEngine> engines,
            Function<StoreConfig, BackupStore> storeOpener,
            PasswordSources passwords,
            Clock clock) {
        this.config = config;
        this.engines = engines;
        this.storeOpener = storeOpener;
        this.passwords = passwords;
        this.clock = clock;
        this.confirmations = new Confirmations(config.stateDir(), clock);
        this.audit = new AuditLog(config.stateDir().resolve("audit.jsonl"));
        this.directories = new DirectoryBackups(config, this::store, passwords, confirmations, audit, clock);
    }

    /** The service with the real adapters for {@code config}; {@code env} supplies password variables. */
    public static BackupService open(LifeboatConfig config, Map<String, String> env) {
        BackupStores.checkSettings(config); // a misspelt store option fails before anything runs
        return new BackupService(
                config,
                db -> new PgDumpEngine(db == null ? null : db.pgBinDir(), env),
                sc -> BackupStores.open(sc, env),
                new PasswordSources(env),
                Clock.systemUTC());
    }

    public LifeboatConfig config() {
        return config;
    }

    @Override
    public void close() {
        stores.values().forEach(BackupStore::close);
        stores.clear();
    }

    /** What is configured, without secrets. */
    public Inventory inventory() {
        return InventoryView.of(config);
    }

    /**
     * Backs up a configured database, or a configured directory (the request's {@code database}
     * names either: they share one namespace), into a store; returns the committed backup.
     */
    public BackupRecord create(CreateBackupRequest request, OperationContext context) {
        return create(request, null, context);
    }

    /**
     * Backs up every member of a configured set, one after the other, each manifest recording the
     * run. A member that fails is reported in the result and does not stop or undo the others; only
     * a cancel stops the run (the members not yet started are reported as cancelled).
     *
     * @param store the store for every member, or null for each member's own
     */
    public SetRunResult createSet(
            String set, String store, String label, Map<String, String> tags, OperationContext context) {
        return createSet(set, store, label, tags, null, context);
    }

    /**
     * As {@link #createSet(String, String, String, Map, OperationContext)}, with one compression for
     * every member.
     *
     * @param compression "gzip", "zstd" or "none" for every member, or null for each member's own
     */
    public SetRunResult createSet(
            String set,
            String store,
            String label,
            Map<String, String> tags,
            String compression,
            OperationContext context) {
        return new BackupSets(config, clock).create(set, store, label, tags, compression, context, this::create);
    }

    /** Set runs of one configured set, newest first, each with its backups (reads manifests only). */
    public List<SetListing> listSets(String set, String store, Instant since, int limit) {
        return new BackupSets(config, clock).list(set, list(new ListBackupsQuery(null, store, since, 0)), limit);
    }

    BackupRecord create(CreateBackupRequest request, Manifest.SetRun set, OperationContext context) {
        String label = checkLabel(request.label());
        Map<String, String> tags = checkTags(request.tags());
        if (request.database() != null && config.directories().containsKey(request.database())) {
            return directories.create(
                    config.directory(request.database()),
                    request.store(),
                    label,
                    tags,
                    request.compression(),
                    set,
                    context);
        }
        DatabaseConfig db = config.database(request.database());
        StoreConfig sc = config.storeFor(db, request.store());
        CompressionSetting compression =
                CompressionSetting.choose(request.compression(), db.compression(), sc.compression());
        Instant started = clock.instant();
        BackupId id = BackupId.generate(db.name(), started);
        AuditLog.Entry base = new AuditLog.Entry(
                started,
                context.transport(),
                context.subject(),
                "create",
                id.value(),
                db.name(),
                sc.name(),
                null,
                null,
                null,
                null,
                null);
        try {
            context.cancel().throwIfCancelled();
            ConnectionSpec spec = passwords.connect(db);
            Catalog catalog = new Catalog(store(sc));
            context.progress().report(0, -1, "connecting to " + spec.describe());
            boolean stored = false;
            try (DumpEngine engine = engines.apply(db);
                    Dump dump = engine.startDump(
                            spec, new DumpOptions(db.rowCounts() == RowCounts.EXACT, compression.pgDumpLevel()));
                    CancelSignal.Registration r = context.cancel().onCancel(dump::abort);
                    // closed in every outcome: the zstd stage holds a native context and worker threads
                    CompressionSetting.Encoded archive = compression.encode(dump.data())) {
                // pg_dump -> [zstd] -> [age] -> SHA-256 -> store
                Encryption encryption = encryptionFor(sc);
                DataUpload.Stored up = DataUpload.put(
                        catalog,
                        id,
                        archive.stream(),
                        encryption,
                        context.cancel(),
                        n -> context.progress().report(n, -1, "dumping " + db.name()),
                        "dump");
                ObjectInfo info = up.info();
                stored = true;
                Dump.Result result = dump.finish();
                ServerInfo server = dump.server();
                if (encryption == null && !(compression.method().inPipe() ? up.zstdMagic() : up.customArchiveMagic())) {
                    throw new LifeboatException(
                            ErrorCode.TOOL_FAILED, "pg_dump did not write a custom-format archive", null);
                }
                Instant finished = clock.instant();
                String storedAs =
                        compression.method().inPipe() ? compression.method().id() : result.compression();
                Manifest manifest = new Manifest(
                        Manifest.formatFor(Manifest.KIND_POSTGRESQL, storedAs),
                        id.value(),
                        db.name(),
                        Manifest.KIND_POSTGRESQL,
                        server,
                        result.toolVersion(),
                        "custom",
                        storedAs,
                        info.size(),
                        up.sha256(),
                        started,
                        finished,
                        Duration.between(started, finished).toMillis(),
                        label,
                        tags,
                        Version.get(),
                        result.exactRowCounts() ? "exact" : "estimate",
                        result.tables(),
                        encryption == null
                                ? null
                                : new Manifest.Encryption(
                                        "age", encryption.recipients().keys()),
                        null,
                        set);
                context.cancel().throwIfCancelled();
                catalog.commit(manifest);
                context.progress().report(info.size(), info.size(), "backup " + id + " committed");
                audit.write(outcome(base, "ok", null, info.size(), null));
                return new BackupRecord(sc.name(), manifest);
            } catch (RuntimeException e) {
                if (stored) {
                    discardQuietly(catalog, id);
                }
                throw e;
            }
        } catch (LifeboatException e) {
            LifeboatException out = context.cancel().isCancelled() ? cancelled(e) : e;
            audit.write(outcome(base, "error", out, null, out.getMessage()));
            throw out;
        }
    }

    /** Committed backups, newest first. Reads manifests only: works while the database is down. */
    public List<BackupRecord> list(ListBackupsQuery query) {
        if (query.database() != null) {
            BackupId.requireName(query.database(), "database name");
        }
        List<StoreConfig> targets = query.store() != null
                ? List.of(config.store(query.store()))
                : List.copyOf(config.stores().values());
        List<BackupRecord> out = new ArrayList<>();
        for (StoreConfig sc : targets) {
            for (Manifest m : listing(sc).list(query.database())) {
                if (query.since() == null || !m.createdAt().isBefore(query.since())) {
                    out.add(new BackupRecord(sc.name(), m));
                }
            }
        }
        out.sort(Comparator.comparing((BackupRecord r) -> r.manifest().createdAt())
                .thenComparing(r -> r.manifest().id())
                .thenComparing(BackupRecord::store)
                .reversed());
        return query.limit() > 0 && out.size() > query.limit() ? List.copyOf(out.subList(0, query.limit())) : out;
    }

    /** One backup's manifest; NOT_FOUND if no store holds it. */
    public BackupRecord get(String backupId, String store) {
        BackupId id = BackupId.parse(backupId);
        List<StoreConfig> targets = store != null
                ? List.of(config.store(store))
                : List.copyOf(config.stores().values());
        for (StoreConfig sc : targets) {
            Optional<Manifest> m = new Catalog(store(sc)).find(id);
            if (m.isPresent()) {
                return new BackupRecord(sc.name(), m.get());
            }
        }
        throw new LifeboatException(
                ErrorCode.NOT_FOUND,
                "no backup '" + id + "' in " + (store != null ? "store '" + store + "'" : "any configured store"),
                "run 'lifeboat backup list' to see the backups");
    }

    /**
     * {@link #get}, refusing (TOOL_VERSION) a backup written by a newer Lifeboat: reading its data may
     * need a step this version does not know, so verify, restore and copy stop before touching it.
     */
    private BackupRecord getReadable(String backupId, String store) {
        BackupRecord rec = get(backupId, store);
        rec.manifest().requireReadable();
        return rec;
    }

    /** Verifies a backup at the given level; integrity failures are reported, not thrown. */
    public VerificationReport verify(String backupId, String store, VerifyLevel level, OperationContext context) {
        Instant started = clock.instant();
        BackupRecord rec = getReadable(backupId, store);
        Manifest m = rec.manifest();
        BackupId id = m.backupId();
        Catalog catalog = new Catalog(store(config.store(rec.store())));
        List<Check> checks = new ArrayList<>();
        Optional<ObjectInfo> stat = catalog.statData(id);
        if (stat.isEmpty()) {
            checks.add(new Check("data-present", false, Catalog.dumpKey(id), "missing", "the data object is gone"));
        } else {
            checks.add(new Check(
                    "size",
                    stat.get().size() == m.sizeBytes(),
                    Long.toString(m.sizeBytes()),
                    Long.toString(stat.get().size()),
                    "bytes of the stored object"));
            HashingInputStream h;
            try (InputStream in = catalog.openData(id);
                    CancelSignal.Registration r = context.cancel().onCancel(Thread.currentThread()::interrupt)) {
                h = HashingInputStream.drain(in, n -> context.progress().report(n, m.sizeBytes(), "reading " + id));
            } catch (IOException e) {
                context.cancel().throwIfCancelled();
                throw new LifeboatException(
                        ErrorCode.STORE_UNAVAILABLE,
                        "cannot read backup " + id + " from store '" + rec.store() + "': " + e.getMessage(),
                        null,
                        e);
            } finally {
                Thread.interrupted(); // a cancel that raced the end of the read must not leak
            }
            context.cancel().throwIfCancelled();
            String sha = h.sha256();
            checks.add(new Check("sha256", sha.equals(m.sha256()), m.sha256(), sha, "SHA-256 of the stored bytes"));
            Optional<Compression> compression =
                    Compression.find(m.compression() == null ? Compression.GZIP.id() : m.compression());
            if (compression.isEmpty()) {
                checks.add(new Check(
                        "archive-format",
                        false,
                        "a compression this version reads (" + Compression.names() + ")",
                        m.compression(),
                        "written by a newer Lifeboat? restore it with that version"));
            } else if (m.encryption() == null && m.ofDirectory()) {
                // a plain tar has no magic at its start: verify --level archive reads it through instead
                DirectoryBackups.formatCheck(m, h.head()).ifPresent(checks::add);
            } else if (m.encryption() == null && compression.get().inPipe()) {
                boolean zstd = ZstdCompression.hasMagic(h.head());
                checks.add(new Check(
                        "archive-format",
                        zstd,
                        "zstd frame (compressed custom-format archive)",
                        zstd ? "zstd" : "something else",
                        null));
            } else if (m.encryption() == null) {
                checks.add(new Check(
                        "archive-format",
                        h.hasCustomArchiveMagic(),
                        "PGDMP (pg_dump custom format)",
                        h.hasCustomArchiveMagic() ? "PGDMP" : "something else",
                        null));
            } else {
                boolean age = Encryption.hasAgeMagic(h.head());
                checks.add(new Check(
                        "archive-format",
                        age,
                        "age-encryption.org/v1 (encrypted archive)",
                        age ? "age-encryption.org/v1" : "something else",
                        "encrypted for " + String.join(", ", m.encryption().recipients())));
            }
            boolean bytesOk = checks.stream().allMatch(Check::passed);
            if (level.compareTo(VerifyLevel.ARCHIVE) >= 0) {
                if (!bytesOk) {
                    checks.add(new Check(
                            "archive-toc",
                            false,
                            "a readable table of contents",
                            "not attempted",
                            "skipped: the stored bytes already failed verification"));
                } else if (m.ofDirectory()) {
                    checks.add(directories.archiveCheck(rec, context));
                } else {
                    checks.add(archiveCheck(catalog, rec.store(), id, m, context));
                }
            }
        }
        DrillRecord drill = null;
        if (level == VerifyLevel.RESTORE) {
            if (!checks.stream().allMatch(Check::passed)) {
                checks.add(new Check(
                        "restore-drill",
                        false,
                        "every table restored with its rows",
                        "not attempted",
                        "skipped: the stored bytes already failed verification"));
            } else {
                drill = m.ofDirectory() ? directories.drill(rec, context) : drill(rec, context);
                checks.add(new Check(
                        "restore-drill",
                        drill.passed(),
                        m.ofDirectory()
                                ? "every file, directory and link restored"
                                : "every table restored with its rows",
                        drill.result() + " (" + drill.tables().size() + " tables compared in " + drill.scratchDatabase()
                                + ")",
                        drill.error() != null
                                ? drill.error()
                                : drill.mismatches().isEmpty() ? null : String.join("; ", drill.mismatches())));
            }
        }
        boolean passed = checks.stream().allMatch(Check::passed);
        long millis = Duration.between(started, clock.instant()).toMillis();
        VerificationReport report =
                new VerificationReport(m.id(), rec.store(), level, passed, checks, started, millis, drill);
        audit.write(new AuditLog.Entry(
                started,
                context.transport(),
                context.subject(),
                "verify:" + level.id(),
                m.id(),
                m.database(),
                rec.store(),
                null,
                m.sizeBytes(),
                passed ? "passed" : "failed",
                passed ? null : "INTEGRITY_FAILED",
                passed ? null : failedNames(checks)));
        return report;
    }

    private Check archiveCheck(Catalog catalog, String store, BackupId id, Manifest m, OperationContext context) {
        AgeIdentity identity = m.encryption() == null
                ? null
                : passwords.ageIdentity(config.store(store), m.encryption().recipients());
        List<String> toc;
        try (DumpEngine engine = engines.apply(config.databases().get(m.database()));
                InputStream in = decoded(catalog.openData(id), identity, m);
                CancelSignal.Registration r = context.cancel().onCancel(Thread.currentThread()::interrupt)) {
            toc = engine.listArchive(in);
        } catch (IOException e) {
            context.cancel().throwIfCancelled();
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE, "cannot read backup " + id + ": " + e.getMessage(), null, e);
        } catch (LifeboatException e) {
            if (e.code() == ErrorCode.TOOL_FAILED || e.code() == ErrorCode.INTEGRITY_FAILED) {
                return new Check("archive-toc", false, "a readable table of contents", "unreadable", e.getMessage());
            }
            throw e;
        } finally {
            Thread.interrupted();
        }
        context.cancel().throwIfCancelled();
        // "215; 0 16390 TABLE DATA public accounts owner": names are not quoted and may hold spaces,
        // so match each manifest table as a prefix of what follows TABLE DATA
        List<String> data = new ArrayList<>();
        for (String line : toc) {
            int at = line.indexOf(" TABLE DATA ");
            if (at >= 0 && !line.startsWith(";")) {
                data.add(line.substring(at + " TABLE DATA ".length()) + " ");
            }
        }
        List<String> missing = m.tables().stream()
                .filter(t -> data.stream().noneMatch(d -> d.startsWith(t.schema() + " " + t.name() + " ")))
                .map(TableSummary::qualifiedName)
                .toList();
        return new Check(
                "archive-toc",
                missing.isEmpty(),
                m.tables().size() + " tables with data",
                toc.size() + " entries, " + data.size() + " with table data",
                missing.isEmpty() ? null : "tables in the manifest but not in the archive: " + missing);
    }

    /**
     * Restores a verified backup into a new scratch database, compares every table with the manifest
     * and the archive, drops the scratch database (also on failure), and stores the evidence beside
     * the backup. A drill that cannot complete is a FAIL record with the reason, not an exception;
     * only cancellation throws.
     */
    private DrillRecord drill(BackupRecord rec, OperationContext context) {
        Manifest m = rec.manifest();
        Instant started = clock.instant();
        DatabaseConfig source = config.databases().get(m.database());
        DatabaseConfig host;
        if (source != null) {
            host = source.drillTarget() != null ? config.database(source.drillTarget()) : source;
        } else if (config.defaultDatabase() != null) {
            host = config.database(null);
        } else {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "backup " + m.id() + " comes from database '" + m.database()
                            + "', which is not configured here, and there is no default database to drill on",
                    "configure '" + m.database() + "' (optionally with drill_target) or set defaults.database");
        }
        try (DumpEngine engine = engines.apply(host)) {
            return drill(rec, context, host, engine);
        }
    }

    private DrillRecord drill(BackupRecord rec, OperationContext context, DatabaseConfig host, DumpEngine engine) {
        Manifest m = rec.manifest();
        Instant started = clock.instant();
        ConnectionSpec base = passwords.connect(host);
        ConnectionSpec scratch = base.withDatabase("lifeboat_drill_"
                + m.backupId().createdAt().getEpochSecond() + "_"
                + java.util.HexFormat.of()
                        .toHexDigits(
                                java.util.concurrent.ThreadLocalRandom.current().nextInt()));
        Map<String, dev.lifeboat.core.engine.TableContent>[] contents = newContents();
        ServerInfo[] drillServer = new ServerInfo[1];
        boolean[] created = new boolean[1];
        String error = null;
        boolean dropped = false;
        try {
            withVerifiedArchive(rec, context, "no scratch database was created", null, archive -> {
                DatabaseState state = engine.inspect(scratch);
                if (state.exists()) {
                    throw new LifeboatException(
                            ErrorCode.ALREADY_EXISTS,
                            "scratch database " + scratch.dbname() + " exists already",
                            "run the drill again");
                }
                drillServer[0] = state.server();
                context.progress()
                        .report(0, m.sizeBytes(), "restoring " + m.id() + " into scratch database " + scratch.dbname());
                engine.createDatabase(scratch);
                created[0] = true;
                engine.restore(archive, scratch, new RestoreOptions(false, config.restoreJobs(host)));
                context.progress().report(0, -1, "comparing tables");
                contents[0] = engine.archiveContents(archive);
                contents[1] = engine.databaseContents(scratch);
                return null;
            });
        } catch (LifeboatException e) {
            if (context.cancel().isCancelled() || e.code() == ErrorCode.CANCELLED) {
                dropScratch(engine, scratch, created[0]);
                throw cancelled(e);
            }
            error = e.code() + ": " + e.getMessage();
        } finally {
            Thread.interrupted();
        }
        if (created[0]) {
            String dropError = dropScratch(engine, scratch, true);
            dropped = dropError == null;
            if (dropError != null) {
                error = (error == null ? "" : error + "; ") + dropError;
            }
        }
        boolean exact = "exact".equals(m.rowCounts());
        List<DrillRecord.TableResult> tables = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        if (contents[0] != null && contents[1] != null) {
            Map<String, Long> manifestRows = new java.util.LinkedHashMap<>();
            m.tables().forEach(t -> manifestRows.put(t.qualifiedName(), t.rows()));
            Set<String> names = new java.util.TreeSet<>(manifestRows.keySet());
            names.addAll(contents[0].keySet());
            for (String t : names) {
                var inArchive = contents[0].get(t);
                var restored = contents[1].get(t);
                long archiveRows = inArchive == null ? 0 : inArchive.rows();
                long expected = exact && manifestRows.containsKey(t) ? manifestRows.get(t) : archiveRows;
                long got = restored == null ? 0 : restored.rows();
                String archiveDigest = inArchive == null ? null : inArchive.digest();
                String restoredDigest = restored == null ? null : restored.digest();
                boolean ok = expected == got && java.util.Objects.equals(archiveDigest, restoredDigest);
                if (expected != got) {
                    mismatches.add(t + ": expected " + expected + " rows"
                            + (exact && manifestRows.containsKey(t) ? " (manifest, exact)" : " (archive)")
                            + ", restored "
                            + got);
                } else if (!ok) {
                    mismatches.add(t + ": restored rows differ from the archive's (digest " + restoredDigest + " vs "
                            + archiveDigest + ")");
                }
                tables.add(new DrillRecord.TableResult(t, expected, got, archiveDigest, restoredDigest, ok));
            }
        }
        boolean pass = error == null
                && mismatches.isEmpty()
                && !tables.isEmpty() == !m.tables().isEmpty();
        Instant finished = clock.instant();
        DrillRecord record = new DrillRecord(
                1,
                m.id(),
                m.database(),
                rec.store(),
                m.sha256(),
                m.sizeBytes(),
                m.createdAt(),
                started,
                finished,
                Duration.between(started, finished).toMillis(),
                context.subject(),
                context.transport(),
                Version.get(),
                m.server(),
                drillServer[0],
                scratch.dbname(),
                dropped,
                exact ? "manifest (exact)" : "archive",
                tables,
                mismatches,
                pass ? "PASS" : "FAIL",
                error);
        new Catalog(store(config.store(rec.store()))).putDrill(m.backupId(), record);
        return record;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, dev.lifeboat.core.engine.TableContent>[] newContents() {
        return (Map<String, dev.lifeboat.core.engine.TableContent>[]) new Map<?, ?>[2];
    }

    /** Drops a drill's scratch database; returns a message if that failed, else null. */
    private static String dropScratch(DumpEngine engine, ConnectionSpec scratch, boolean created) {
        if (!created) {
            return null;
        }
        Thread.interrupted();
        try {
            engine.dropDatabase(scratch);
            return null;
        } catch (LifeboatException e) {
            LOG.warn("cannot drop scratch database {}: {}", scratch.dbname(), e.getMessage());
            return "the scratch database " + scratch.dbname() + " could not be dropped: " + e.getMessage();
        }
    }

    /** Restore drill records (evidence) of one database, or all, newest first. */
    public List<DrillRecord> drills(String database, String store) {
        if (database != null) {
            BackupId.requireName(database, "database name");
        }
        List<StoreConfig> targets = store != null
                ? List.of(config.store(store))
                : List.copyOf(config.stores().values());
        List<DrillRecord> out = new ArrayList<>();
        for (StoreConfig sc : targets) {
            out.addAll(new Catalog(store(sc)).drills(database));
        }
        out.sort(Comparator.comparing(DrillRecord::startedAt).reversed());
        return out;
    }

    /**
     * Works out what a restore would do. A destructive plan (CLEAN over an existing database) comes
     * with a single-use confirmation token bound to this exact plan.
     */
    public RestorePlan planRestore(RestoreRequest request) {
        Resolved r = resolve(request);
        try (DumpEngine engine = r.engine()) {
            Confirmation confirmation = null;
            if (r.destructive()) {
                confirmation =
                        confirmations.issue(r.binding(), config.tokenTtl(), config.approval() == ApprovalMode.OPERATOR);
            }
            return r.plan(confirmation);
        }
    }

    /**
     * Restores. A destructive restore needs the token from {@link #planRestore} (CONFIRMATION_REQUIRED
     * without one, TOKEN_REJECTED for a bad one). The stored bytes are verified before pg_restore
     * touches the target.
     */
    public RestoreResult restore(RestoreRequest request, OperationContext context) {
        Instant started = clock.instant();
        Resolved r;
        // a local archive's checksum pass starts as soon as the backup is found and overlaps the
        // questions to the target server; it is awaited before anything touches the target
        BackgroundHash[] early = new BackgroundHash[1];
        try {
            r = resolve(request, rec -> early[0] = startHash(rec, context));
        } catch (RuntimeException failure) {
            if (early[0] != null) {
                early[0].close();
            }
            if (!(failure instanceof LifeboatException e)) {
                throw failure;
            }
            audit.write(new AuditLog.Entry(
                    started,
                    context.transport(),
                    context.subject(),
                    "restore",
                    request.backupId(),
                    null,
                    request.store(),
                    null,
                    null,
                    "error",
                    e.code().name(),
                    e.getMessage()));
            throw e;
        }
        try (DumpEngine engine = r.engine();
                BackgroundHash hash = early[0]) {
            return restore(request, r, hash, started, context);
        }
    }

    /**
     * The checksum pass of {@code rec}'s archive on a background thread when it is a plain file in a
     * local store (what the restore would hash in place); null otherwise (downloads, decryption and
     * decompression write a spool file and stay in line).
     */
    private BackgroundHash startHash(BackupRecord rec, OperationContext context) {
        Manifest m = rec.manifest();
        boolean plain = m.encryption() == null
                && Compression.find(m.compression() == null ? Compression.GZIP.id() : m.compression())
                        .map(c -> !c.inPipe())
                        .orElse(false);
        if (!plain) {
            return null;
        }
        Optional<Path> local = new Catalog(store(config.store(rec.store()))).localData(m.backupId());
        if (local.isEmpty()) {
            return null;
        }
        try {
            return BackgroundHash.start(
                    local.get(), n -> context.progress().report(n, m.sizeBytes(), "verifying " + m.id()));
        } catch (IOException e) {
            return null; // the in-line pass reports it, in its place
        }
    }

    private RestoreResult restore(
            RestoreRequest request, Resolved r, BackgroundHash hash, Instant started, OperationContext context) {
        Manifest m = r.record().manifest();
        AuditLog.Entry base = new AuditLog.Entry(
                started,
                context.transport(),
                context.subject(),
                "restore:" + r.mode().name().toLowerCase(java.util.Locale.ROOT),
                m.id(),
                m.database(),
                r.record().store(),
                r.binding().target(),
                null,
                null,
                null,
                null);
        try {
            if (r.destructive()) {
                if (request.confirmToken() == null || request.confirmToken().isBlank()) {
                    throw new LifeboatException(
                            ErrorCode.CONFIRMATION_REQUIRED,
                            "restoring " + m.id() + " over the existing database '" + r.dbname() + "' on "
                                    + r.serverText() + " drops and recreates "
                                    + r.state().tables().size()
                                    + " existing table(s); it needs a confirmation token",
                            "make a plan first (lifeboat restore " + m.id()
                                    + " --clean --plan, or restore_backup without "
                                    + "confirm_token) and pass its token");
                }
                confirmations.redeem(request.confirmToken(), r.binding());
            }
            context.cancel().throwIfCancelled();
            long bytes = restoreVerified(r, hash, context);
            long millis = Duration.between(started, clock.instant()).toMillis();
            int jobs = r.destructive() ? 1 : r.jobs();
            audit.write(outcome(base, "ok", null, bytes, null));
            return new RestoreResult(
                    m.id(),
                    r.record().store(),
                    r.targetConfig().name(),
                    r.serverText(),
                    r.dbname(),
                    r.mode(),
                    bytes,
                    m.sha256(),
                    started,
                    millis,
                    jobs);
        } catch (LifeboatException e) {
            LifeboatException out = context.cancel().isCancelled() ? cancelled(e) : e;
            audit.write(outcome(base, "error", out, null, out.getMessage()));
            throw out;
        }
    }

    /** Verifies the stored bytes into a file pinned for pg_restore, then restores from that file. */
    private long restoreVerified(Resolved r, BackgroundHash hash, OperationContext context) {
        DumpEngine engine = r.engine();
        // learn pg_restore's version while the archive is being verified
        engine.prepareRestore();
        return withVerifiedArchive(r.record(), context, "the target database was not touched", hash, archive -> {
            Manifest m = r.record().manifest();
            context.progress().report(m.sizeBytes(), m.sizeBytes(), "restoring into " + r.dbname());
            if (r.mode() == RestoreMode.CREATE) {
                restoreIntoNewDatabase(engine, archive, r.spec(), r.jobs());
            } else {
                // one job: pg_restore cannot combine --jobs with --single-transaction, and the
                // single transaction is what leaves the target as it was if the restore fails
                try {
                    engine.restore(archive, r.spec(), new RestoreOptions(true, 1));
                } catch (LifeboatException e) {
                    throw new LifeboatException(
                            e.code(),
                            e.getMessage() + "; the restore ran in one transaction, so '" + r.dbname()
                                    + "' was left as it was",
                            e.hint(),
                            e);
                }
            }
            return m.sizeBytes();
        });
    }

    /** Creates {@code spec}'s database and restores into it; drops it again if the restore fails. */
    private static void restoreIntoNewDatabase(DumpEngine engine, Path archive, ConnectionSpec spec, int jobs) {
        engine.createDatabase(spec);
        try {
            engine.restore(archive, spec, new RestoreOptions(false, jobs));
        } catch (LifeboatException e) {
            Thread.interrupted(); // a cancelled restore must still be able to drop what it made
            try {
                engine.dropDatabase(spec);
            } catch (LifeboatException dropFailure) {
                throw new LifeboatException(
                        e.code(),
                        e.getMessage() + "; the partly restored database '" + spec.dbname() + "' could not be dropped: "
                                + dropFailure.getMessage(),
                        "drop it by hand: DROP DATABASE \"" + spec.dbname() + "\"",
                        e);
            }
            throw new LifeboatException(
                    e.code(),
                    e.getMessage() + "; the new database '" + spec.dbname() + "' was removed again",
                    e.hint(),
                    e);
        }
    }

    /**
     * Runs {@code action} on a local file holding the backup's archive, after checking its size,
     * SHA-256 and format against the manifest. A local store's file is verified in place (no copy);
     * other stores are downloaded once into a 0600 spool file that is removed afterwards. The action
     * reads exactly the bytes that were verified.
     */
    private <T> T withVerifiedArchive(
            BackupRecord rec,
            OperationContext context,
            String untouched,
            BackgroundHash started,
            java.util.function.Function<Path, T> action) {
        Manifest m = rec.manifest();
        BackupId id = m.backupId();
        Catalog catalog = new Catalog(store(config.store(rec.store())));
        Optional<Path> local = catalog.localData(id);
        // an encrypted backup needs its key before anything is read: a missing key is not damage
        AgeIdentity identity = m.encryption() == null
                ? null
                : passwords.ageIdentity(
                        config.store(rec.store()), m.encryption().recipients());
        boolean compressed = Compression.ofManifest(m.compression(), m.id()).inPipe();
        Path spool = null;
        try (CancelSignal.Registration reg = context.cancel().onCancel(Thread.currentThread()::interrupt)) {
            Path archive;
            HashingInputStream h;
            // the archive's first bytes, taken on the one pass that hashes (or decodes) it: no reopening
            byte[] head;
            if (identity != null || compressed) {
                // hash the stored bytes and decrypt/decompress them in one pass into a 0600 spool file
                spool = spoolFile(id);
                archive = spool;
                try (InputStream stored =
                        local.isPresent() ? Files.newInputStream(local.get()) : catalog.openData(id)) {
                    h = new HashingInputStream(
                            stored,
                            n -> context.progress()
                                    .report(
                                            n,
                                            m.sizeBytes(),
                                            (identity != null ? "decrypting " : "decompressing ") + id));
                    head = decodeInto(h, identity, m, spool, untouched);
                }
            } else if (local.isPresent()) {
                archive = local.get();
                if (started != null) {
                    h = started.await(); // the same file, hashed while the target was inspected
                } else {
                    try (InputStream in = Files.newInputStream(archive)) {
                        h = HashingInputStream.drain(
                                in, n -> context.progress().report(n, m.sizeBytes(), "verifying " + id));
                    }
                }
                head = h.head();
            } else {
                spool = spoolFile(id);
                archive = spool;
                try (InputStream in = catalog.openData(id);
                        OutputStream out = Files.newOutputStream(spool)) {
                    h = new HashingInputStream(
                            in, n -> context.progress().report(n, m.sizeBytes(), "downloading " + id));
                    h.transferTo(out);
                }
                head = h.head();
            }
            context.cancel().throwIfCancelled();
            String sha = h.sha256();
            if (h.count() != m.sizeBytes() || !sha.equals(m.sha256())) {
                throw new LifeboatException(
                        ErrorCode.INTEGRITY_FAILED,
                        "integrity check failed for backup " + id + ": expected " + m.sizeBytes()
                                + " bytes with SHA-256 " + m.sha256() + ", found " + h.count() + " bytes with SHA-256 "
                                + sha + "; " + untouched,
                        "the stored copy is damaged; restore another backup or a copy from another store");
            }
            if (!startsWithCustomArchiveMagic(head)) {
                throw new LifeboatException(
                        ErrorCode.INTEGRITY_FAILED,
                        "backup " + id + " is not a pg_dump custom-format archive; " + untouched,
                        "Lifeboat only restores custom-format archives");
            }
            return action.apply(archive);
        } catch (IOException e) {
            context.cancel().throwIfCancelled();
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read backup " + id + ": " + e.getMessage() + "; " + untouched,
                    null,
                    e);
        } finally {
            Thread.interrupted();
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    LOG.warn("cannot remove spool file {}: {}", spool, e.getMessage());
                }
            }
        }
    }

    /**
     * The archive inside {@code stored}: decrypted when {@code identity} is given, then decompressed
     * when the manifest says Lifeboat compressed it (the reverse of the backup pipe). Closing it closes
     * {@code stored}.
     */
    private static InputStream decoded(InputStream stored, AgeIdentity identity, Manifest m) throws IOException {
        InputStream in = stored;
        try {
            if (identity != null) {
                in = Encryption.decrypting(in, identity, m.encryption().recipients());
            }
            if (Compression.ofManifest(m.compression(), m.id()).inPipe()) {
                in = ZstdCompression.decompressing(in);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Decrypts and/or decompresses what {@code stored} yields into {@code plain}, then reads {@code
     * stored} to its end so its checksum covers every stored byte. Damage found while decoding is
     * reported as a checksum mismatch when the checksum disagrees too, since that is the clearer
     * statement of what happened.
     */
    private static byte[] decodeInto(
            HashingInputStream stored, AgeIdentity identity, Manifest m, Path plain, String untouched)
            throws IOException {
        // the decoders close what they read; stored must stay open so the rest of it can be hashed
        InputStream unclosable = new java.io.FilterInputStream(stored) {
            @Override
            public void close() {}
        };
        try (InputStream in = decoded(unclosable, identity, m);
                OutputStream out = Files.newOutputStream(plain)) {
            byte[] head = in.readNBytes(CUSTOM_ARCHIVE_MAGIC.length);
            out.write(head);
            // zstd's own block size: transferTo's 8 KiB would cost a JNI call per 8 KiB of output
            byte[] buf = new byte[128 * 1024];
            for (int n; (n = in.read(buf)) != -1; ) {
                out.write(buf, 0, n);
            }
            stored.transferTo(OutputStream.nullOutputStream());
            return head;
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.INTEGRITY_FAILED) {
                throw e;
            }
            stored.transferTo(OutputStream.nullOutputStream());
            String sha = stored.sha256();
            if (!sha.equals(m.sha256())) {
                throw new LifeboatException(
                        ErrorCode.INTEGRITY_FAILED,
                        "integrity check failed for backup " + m.id() + ": expected SHA-256 " + m.sha256() + ", found "
                                + sha + "; " + untouched,
                        "the stored copy is damaged; restore another backup or a copy from another store",
                        e);
            }
            throw e;
        }
    }

    private static final byte[] CUSTOM_ARCHIVE_MAGIC = {'P', 'G', 'D', 'M', 'P'};

    private static boolean startsWithCustomArchiveMagic(byte[] head) {
        return head.length >= CUSTOM_ARCHIVE_MAGIC.length
                && java.util.Arrays.equals(head, 0, CUSTOM_ARCHIVE_MAGIC.length, CUSTOM_ARCHIVE_MAGIC, 0, 5);
    }

    static Encryption encryptionFor(StoreConfig sc) {
        if (sc.encryption() == null || sc.encryption().recipients().isEmpty()) {
            return null;
        }
        return Encryption.to(
                AgeRecipients.parse(sc.encryption().recipients(), "stores." + sc.name() + ".encryption.recipients"));
    }

    private Path spoolFile(BackupId id) throws IOException {
        // a decrypted spool must never land where a link planted at 'spool' points
        Path dir = PrivateDirectories.ensure(config.stateDir().resolve("spool"));
        return Files.createTempFile(
                dir,
                id.value() + "-",
                ".dump",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /**
     * Works out what restoring a directory backup would do. A non-empty target is destructive (its
     * contents are replaced) and the plan comes with a single-use token bound to the backup, its
     * checksum and the target path.
     */
    public DirectoryRestorePlan planDirectoryRestore(DirectoryRestoreRequest request) {
        return directories.plan(getReadable(request.backupId(), request.store()), request);
    }

    /**
     * Restores a directory backup into a directory through the safe extractor: entries that would
     * land outside the target are refused, the archive is extracted beside the target and swapped in
     * only after it was extracted completely and its SHA-256 matched, so a refused, damaged or
     * cancelled restore leaves the target as it was. A non-empty target needs the plan's token.
     */
    public DirectoryRestoreResult restoreDirectory(DirectoryRestoreRequest request, OperationContext context) {
        BackupRecord rec;
        try {
            rec = getReadable(request.backupId(), request.store());
        } catch (LifeboatException e) {
            audit.write(new AuditLog.Entry(
                    clock.instant(),
                    context.transport(),
                    context.subject(),
                    "restore:directory",
                    request.backupId(),
                    null,
                    request.store(),
                    null,
                    null,
                    "error",
                    e.code().name(),
                    e.getMessage()));
            throw e;
        }
        return directories.restore(rec, request, context);
    }

    /** Works out what a delete would remove; always comes with a confirmation token. */
    public DeletePlan planDelete(String backupId, String store) {
        BackupRecord rec = get(backupId, store);
        Manifest m = rec.manifest();
        Confirmation c =
                confirmations.issue(deleteBinding(rec), config.tokenTtl(), config.approval() == ApprovalMode.OPERATOR);
        String summary = "Delete backup " + m.id() + " of database '" + m.database() + "' (taken " + m.createdAt()
                + ", "
                + humanBytes(m.sizeBytes()) + ") from store '" + rec.store() + "'. Its data and manifest are removed; "
                + "this cannot be undone.";
        return new DeletePlan(m.id(), rec.store(), m.database(), m.createdAt(), m.sizeBytes(), c, summary);
    }

    /** Deletes a backup (manifest first, then data); needs the token from {@link #planDelete}. */
    public BackupRecord delete(String backupId, String store, String confirmToken, OperationContext context) {
        Instant started = clock.instant();
        BackupRecord rec = get(backupId, store);
        Manifest m = rec.manifest();
        AuditLog.Entry base = new AuditLog.Entry(
                started,
                context.transport(),
                context.subject(),
                "delete",
                m.id(),
                m.database(),
                rec.store(),
                null,
                m.sizeBytes(),
                null,
                null,
                null);
        try {
            if (confirmToken == null || confirmToken.isBlank()) {
                throw new LifeboatException(
                        ErrorCode.CONFIRMATION_REQUIRED,
                        "deleting backup " + m.id() + " needs a confirmation token",
                        "make a plan first (lifeboat backup delete " + m.id() + " --plan) and pass its token");
            }
            confirmations.redeem(confirmToken, deleteBinding(rec));
            new Catalog(store(config.store(rec.store()))).delete(m.backupId());
            audit.write(outcome(base, "ok", null, m.sizeBytes(), null));
            return rec;
        } catch (LifeboatException e) {
            audit.write(outcome(base, "error", e, null, e.getMessage()));
            throw e;
        }
    }

    /**
     * Copies a backup to another store (3-2-1 copies), streaming, with its SHA-256 checked on the way
     * and on arrival; the copy is listed in the target with the same id and checksum, or not at all.
     *
     * @param from the store to copy from, or null to find the backup in any configured store
     * @param to the configured store to copy to
     */
    public BackupCopier.CopyResult copy(String backupId, String from, String to, OperationContext context) {
        Instant started = clock.instant();
        BackupRecord rec = get(backupId, from);
        StoreConfig target = config.store(to);
        if (target.name().equals(rec.store())) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "backup " + backupId + " is already in store '" + to + "'",
                    "name another store to copy to; configured: "
                            + String.join(", ", config.stores().keySet()));
        }
        Manifest m = rec.manifest();
        AuditLog.Entry base = new AuditLog.Entry(
                started,
                context.transport(),
                context.subject(),
                "copy",
                m.id(),
                m.database(),
                rec.store(),
                "store:" + target.name(),
                m.sizeBytes(),
                null,
                null,
                null);
        try {
            BackupCopier.CopyResult result =
                    new BackupCopier().copy(m.backupId(), store(config.store(rec.store())), store(target), context);
            audit.write(outcome(base, "ok", null, result.bytes(), result.alreadyPresent() ? "already present" : null));
            return result;
        } catch (LifeboatException e) {
            LifeboatException out = context.cancel().isCancelled() ? cancelled(e) : e;
            audit.write(outcome(base, "error", out, null, out.getMessage()));
            throw out;
        }
    }

    /**
     * Applies each database's retention policy (its own, else its store's) and reports what would be
     * removed and which rule keeps each survivor. The newest backup with a passing restore drill is
     * always kept. Databases without a policy keep everything.
     *
     * @param database only this database, or null for all
     * @param store only this store, or null for every configured store
     */
    public PrunePlan planPrune(String database, String store) {
        PrunePlan plan = computePrune(database, store);
        if (plan.removeCount() == 0) {
            return plan;
        }
        Confirmation c = confirmations.issue(
                pruneBinding(plan, database, store), config.tokenTtl(), config.approval() == ApprovalMode.OPERATOR);
        return new PrunePlan(plan.groups(), plan.removeCount(), plan.removeBytes(), c, plan.summary());
    }

    /**
     * Removes what {@link #planPrune} listed, with its token. The plan is worked out again; if the
     * backups it would remove changed since the token was issued, the token is refused. Each backup's
     * manifest goes before its data, so an interrupted prune never leaves a listed backup without data.
     */
    public PrunePlan prune(String database, String store, String confirmToken, OperationContext context) {
        Instant started = clock.instant();
        PrunePlan plan = computePrune(database, store);
        AuditLog.Entry base = new AuditLog.Entry(
                started,
                context.transport(),
                context.subject(),
                "prune",
                null,
                database,
                store,
                null,
                plan.removeBytes(),
                null,
                null,
                null);
        try {
            if (plan.removeCount() == 0) {
                audit.write(outcome(base, "ok", null, 0L, "nothing to remove"));
                return plan;
            }
            if (confirmToken == null || confirmToken.isBlank()) {
                throw new LifeboatException(
                        ErrorCode.CONFIRMATION_REQUIRED,
                        "pruning removes " + plan.removeCount() + " backup(s); it needs a confirmation token",
                        "run the dry run first (lifeboat prune, or prune_backups without confirm_token) and pass its token");
            }
            confirmations.redeem(confirmToken, pruneBinding(plan, database, store));
            for (PrunePlan.Group g : plan.groups()) {
                Catalog catalog = new Catalog(store(config.store(g.store())));
                for (PrunePlan.Removal r : g.remove()) {
                    context.cancel().throwIfCancelled();
                    catalog.delete(BackupId.parse(r.backupId()));
                    audit.write(new AuditLog.Entry(
                            clock.instant(),
                            context.transport(),
                            context.subject(),
                            "prune:delete",
                            r.backupId(),
                            g.database(),
                            g.store(),
                            null,
                            r.sizeBytes(),
                            "ok",
                            null,
                            null));
                }
            }
            audit.write(outcome(base, "ok", null, plan.removeBytes(), plan.removeCount() + " removed"));
            return new PrunePlan(plan.groups(), plan.removeCount(), plan.removeBytes(), null, plan.summary());
        } catch (LifeboatException e) {
            audit.write(outcome(base, "error", e, null, e.getMessage()));
            throw e;
        }
    }

    private PrunePlan computePrune(String database, String store) {
        if (database != null) {
            BackupId.requireName(database, "database name");
        }
        List<StoreConfig> targets = store != null
                ? List.of(config.store(store))
                : List.copyOf(config.stores().values());
        List<PrunePlan.Group> groups = new ArrayList<>();
        int count = 0;
        long bytes = 0;
        for (StoreConfig sc : targets) {
            Catalog catalog = listing(sc);
            Map<String, List<Manifest>> byDatabase = new java.util.TreeMap<>();
            for (Manifest m : catalog.list(database)) {
                byDatabase.computeIfAbsent(m.database(), k -> new ArrayList<>()).add(m);
            }
            Set<String> verified = new HashSet<>();
            for (DrillRecord d : catalog.drills(database)) {
                if (d.passed()) {
                    verified.add(d.backupId());
                }
            }
            for (Map.Entry<String, List<Manifest>> e : byDatabase.entrySet()) {
                DatabaseConfig db = config.databases().get(e.getKey());
                dev.lifeboat.core.config.DirectoryConfig dir =
                        config.directories().get(e.getKey());
                dev.lifeboat.core.retention.RetentionPolicy policy = db != null && db.retention() != null
                        ? db.retention()
                        : dir != null && dir.retention() != null ? dir.retention() : sc.retention();
                Map<String, Manifest> byId = new java.util.HashMap<>();
                e.getValue().forEach(m -> byId.put(m.id(), m));
                if (policy == null || policy.isEmpty()) {
                    if (database != null) {
                        throw new LifeboatException(
                                ErrorCode.INVALID_ARGUMENT,
                                "no retention policy for database '" + e.getKey() + "' in store '" + sc.name() + "'",
                                "set databases." + e.getKey() + ".retention or stores." + sc.name()
                                        + ".retention (e.g. keep_daily: 7, keep_weekly: 4)");
                    }
                    groups.add(new PrunePlan.Group(
                            sc.name(),
                            e.getKey(),
                            "no retention policy: everything is kept",
                            e.getValue().stream()
                                    .map(m -> new PrunePlan.Kept(m.id(), m.createdAt(), List.of("no policy")))
                                    .toList(),
                            List.of()));
                    continue;
                }
                List<dev.lifeboat.core.retention.Candidate> candidates = e.getValue().stream()
                        .map(m -> new dev.lifeboat.core.retention.Candidate(
                                m.id(), m.createdAt(), verified.contains(m.id())))
                        .toList();
                dev.lifeboat.core.retention.RetentionPlan rp = policy.apply(candidates, clock.instant());
                List<PrunePlan.Kept> keep = rp.keep().stream()
                        .map(k -> new PrunePlan.Kept(
                                k.candidate().id(), k.candidate().createdAt(), k.reasons()))
                        .toList();
                List<PrunePlan.Removal> remove = rp.remove().stream()
                        .map(c -> new PrunePlan.Removal(
                                c.id(), c.createdAt(), byId.get(c.id()).sizeBytes()))
                        .toList();
                count += remove.size();
                bytes += remove.stream().mapToLong(PrunePlan.Removal::sizeBytes).sum();
                groups.add(new PrunePlan.Group(sc.name(), e.getKey(), policy.describe(), keep, remove));
            }
        }
        String summary = count == 0
                ? "Nothing to prune: every backup is kept by its database's retention policy."
                : "Prune removes " + count + " backup(s) (" + humanBytes(bytes) + ") from "
                        + groups.stream()
                                .filter(g -> !g.remove().isEmpty())
                                .map(g -> g.database() + " in " + g.store() + " ("
                                        + g.remove().size() + ")")
                                .reduce((a, b) -> a + ", " + b)
                                .orElse("")
                        + ". Manifests are removed before data; this cannot be undone.";
        return new PrunePlan(groups, count, bytes, null, summary);
    }

    /** Binds a prune token to the exact set of backups it removes. */
    private static PlanBinding pruneBinding(PrunePlan plan, String database, String store) {
        StringBuilder ids = new StringBuilder();
        plan.groups()
                .forEach(g -> g.remove()
                        .forEach(r -> ids.append(g.store())
                                .append('/')
                                .append(r.backupId())
                                .append('\n')));
        String digest;
        try {
            digest = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(ids.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new PlanBinding(
                "prune",
                database == null ? "all databases" : database,
                digest,
                store == null ? "all stores" : "store:" + store,
                "prune");
    }

    /** Records an operator's approval of a plan (approval mode 'operator'); returns what was approved. */
    public String approve(String planId, String approver) {
        PlanBinding b = confirmations.approve(planId, approver);
        audit.write(new AuditLog.Entry(
                clock.instant(),
                "cli",
                approver,
                "approve",
                b.backupId(),
                null,
                null,
                b.target(),
                null,
                "ok",
                null,
                "plan " + planId + ": " + b.operation() + " " + b.mode()));
        return "approved plan " + planId + ": " + b.operation() + " of backup " + b.backupId() + " (" + b.mode()
                + ") on " + b.target();
    }

    // ---- restore resolution ----

    private record Resolved(
            BackupRecord record,
            DatabaseConfig targetConfig,
            ConnectionSpec spec,
            String dbname,
            DatabaseState state,
            RestoreMode mode,
            int jobs,
            List<String> warnings,
            DumpEngine engine) {

        boolean destructive() {
            return mode == RestoreMode.CLEAN;
        }

        String serverText() {
            return spec.host() + ":" + spec.port();
        }

        PlanBinding binding() {
            Manifest m = record.manifest();
            return new PlanBinding(
                    "restore",
                    m.id(),
                    m.sha256(),
                    serverText() + "/" + dbname,
                    mode.name().toLowerCase(java.util.Locale.ROOT));
        }

        RestorePlan plan(Confirmation confirmation) {
            Manifest m = record.manifest();
            Set<String> inBackup = new HashSet<>();
            m.tables().forEach(t -> inBackup.add(t.qualifiedName()));
            List<String> replace =
                    state.tables().stream().filter(inBackup::contains).sorted().toList();
            List<String> keep = state.tables().stream()
                    .filter(t -> !inBackup.contains(t))
                    .sorted()
                    .toList();
            StringBuilder s = new StringBuilder();
            s.append("Restore backup ")
                    .append(m.id())
                    .append(" of database '")
                    .append(m.database())
                    .append("' (taken ")
                    .append(m.createdAt())
                    .append(", ")
                    .append(humanBytes(m.sizeBytes()))
                    .append(", ")
                    .append(m.tables().size())
                    .append(m.tables().size() == 1 ? " table" : " tables")
                    .append(") from store '")
                    .append(record.store())
                    .append("' ");
            if (mode == RestoreMode.CREATE) {
                s.append("into a NEW database '")
                        .append(dbname)
                        .append("' on ")
                        .append(serverText())
                        .append(". Nothing existing is changed.");
            } else {
                s.append("OVER the existing database '")
                        .append(dbname)
                        .append("' on ")
                        .append(serverText())
                        .append(". ")
                        .append(replace.size())
                        .append(" existing table(s) will be dropped and recreated from the backup");
                if (!replace.isEmpty()) {
                    s.append(" (")
                            .append(String.join(", ", replace.size() > 10 ? replace.subList(0, 10) : replace))
                            .append(replace.size() > 10 ? ", ..." : "")
                            .append(")");
                }
                s.append("; their current data will be lost. ");
                if (!keep.isEmpty()) {
                    s.append(keep.size()).append(" table(s) not in the backup stay as they are. ");
                }
                s.append("The restore runs in one transaction: if it fails, the database is left as it was.");
            }
            return new RestorePlan(
                    m.id(),
                    record.store(),
                    m.createdAt(),
                    m.sizeBytes(),
                    m.sha256(),
                    m.database(),
                    targetConfig.name(),
                    serverText(),
                    dbname,
                    state.exists(),
                    mode,
                    mode == RestoreMode.CLEAN,
                    replace,
                    keep,
                    state.server() == null ? null : state.server().version(),
                    warnings,
                    confirmation,
                    s.toString());
        }
    }

    private Resolved resolve(RestoreRequest request) {
        return resolve(request, rec -> {});
    }

    /** As above; {@code found} is told the backup as soon as it is known to be a restorable dump. */
    private Resolved resolve(RestoreRequest request, java.util.function.Consumer<BackupRecord> found) {
        if (request.jobs() != null && (request.jobs() < 1 || request.jobs() > LifeboatConfig.MAX_RESTORE_JOBS)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid number of restore jobs " + request.jobs(),
                    "use 1 to " + LifeboatConfig.MAX_RESTORE_JOBS
                            + ", or leave it out for the configured restore_jobs (default: one" + " per core)");
        }
        BackupRecord rec = getReadable(request.backupId(), request.store());
        Manifest m = rec.manifest();
        if (m.ofDirectory()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "backup " + m.id() + " is a directory backup (of '" + m.database() + "'), not a database dump",
                    "restore it into a directory: lifeboat restore " + m.id()
                            + " --target-dir PATH (restore_backup: target_dir)");
        }
        DatabaseConfig target;
        if (request.target() != null && !request.target().isBlank()) {
            target = config.database(request.target());
        } else {
            target = config.databases().get(m.database());
            if (target == null) {
                throw new LifeboatException(
                        ErrorCode.NOT_FOUND,
                        "backup " + m.id() + " was taken from database '" + m.database()
                                + "', which is not configured here",
                        "name a configured database whose server receives the restore (--target / target), "
                                + "configured: "
                                + String.join(", ", config.databases().keySet()));
            }
        }
        String dbname = request.targetDbname() == null || request.targetDbname().isBlank()
                ? target.dbname()
                : request.targetDbname().trim();
        if (!DBNAME.matcher(dbname).matches()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid target database name '" + dbname + "'",
                    "use letters, digits, '_', '$' or '-', starting with a letter or '_', at most 63 characters");
        }
        if (Set.of("postgres", "template0", "template1").contains(dbname)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "refusing to restore into the system database '" + dbname + "'",
                    "choose another target database name");
        }
        found.accept(rec);
        ConnectionSpec spec = passwords.connect(target).withDatabase(dbname);
        DumpEngine engine = engines.apply(target);
        try {
            return resolve(request, rec, target, spec, engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The rest of {@link #resolve(RestoreRequest)}: the target's state, read through {@code engine}. */
    private Resolved resolve(
            RestoreRequest request, BackupRecord rec, DatabaseConfig target, ConnectionSpec spec, DumpEngine engine) {
        Manifest m = rec.manifest();
        String dbname = spec.dbname();
        DatabaseState state = engine.inspect(spec);
        RestoreMode mode = request.mode() == null ? RestoreMode.CREATE : request.mode();
        List<String> warnings = new ArrayList<>();
        if (mode == RestoreMode.CREATE && state.exists()) {
            throw new LifeboatException(
                    ErrorCode.ALREADY_EXISTS,
                    "target database '" + dbname + "' already exists on " + spec.host() + ":" + spec.port(),
                    "restore into a new name (--target-database / target_database), or over it with --clean / mode "
                            + "\"clean\" (destructive, needs confirmation)");
        }
        if (mode == RestoreMode.CLEAN && !state.exists()) {
            mode = RestoreMode.CREATE;
            warnings.add("target database '" + dbname + "' does not exist: it will be created, nothing is dropped");
        }
        if (state.server() != null
                && m.server() != null
                && state.server().majorVersion() < m.server().majorVersion()) {
            warnings.add("the backup comes from PostgreSQL " + m.server().version() + " and the target runs "
                    + state.server().version() + ": restoring into an older server may fail");
        }
        int jobs = request.jobs() != null ? request.jobs() : config.restoreJobs(target);
        return new Resolved(rec, target, spec, dbname, state, mode, jobs, List.copyOf(warnings), engine);
    }

    private static PlanBinding deleteBinding(BackupRecord rec) {
        return new PlanBinding(
                "delete", rec.manifest().id(), rec.manifest().sha256(), "store:" + rec.store(), "delete");
    }

    // ---- helpers ----

    private BackupStore store(StoreConfig sc) {
        return stores.computeIfAbsent(sc.name(), n -> storeOpener.apply(sc));
    }

    /** The catalog for listings: unchanged manifests come from the local cache in state_dir. */
    private Catalog listing(StoreConfig sc) {
        BackupStore s = store(sc);
        return new Catalog(s, ManifestCache.in(config.stateDir(), s));
    }

    private static void discardQuietly(Catalog catalog, BackupId id) {
        try {
            catalog.discardData(id);
        } catch (LifeboatException e) {
            LOG.warn("could not remove the data of failed backup {}: {}", id, e.getMessage());
        }
    }

    static LifeboatException cancelled(LifeboatException cause) {
        if (cause.code() == ErrorCode.CANCELLED) {
            return cause;
        }
        return new LifeboatException(
                ErrorCode.CANCELLED, "the operation was cancelled; nothing was committed", null, cause);
    }

    static AuditLog.Entry outcome(AuditLog.Entry b, String outcome, LifeboatException e, Long bytes, String detail) {
        return new AuditLog.Entry(
                b.time(),
                b.transport(),
                b.subject(),
                b.operation(),
                b.backupId(),
                b.database(),
                b.store(),
                b.target(),
                bytes != null ? bytes : b.bytes(),
                outcome,
                e == null ? null : e.code().name(),
                detail);
    }

    private static String failedNames(List<Check> checks) {
        return checks.stream()
                .filter(c -> !c.passed())
                .map(Check::name)
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }

    private static String checkLabel(String label) {
        if (label == null || label.isBlank()) {
            return null;
        }
        if (label.length() > 200 || label.chars().anyMatch(Character::isISOControl)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT, "invalid label: at most 200 characters, no control characters", null);
        }
        return label;
    }

    private static Map<String, String> checkTags(Map<String, String> tags) {
        if (tags.size() > 32) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT, "too many tags (" + tags.size() + "; at most 32)", null);
        }
        tags.forEach((k, v) -> {
            if (k == null || !TAG_KEY.matcher(k).matches()) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "invalid tag key '" + k + "'",
                        "tag keys are 1-63 letters, digits, '_', '.' or '-'");
            }
            if (v == null || v.length() > 200 || v.chars().anyMatch(Character::isISOControl)) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "invalid value for tag '" + k + "': at most 200 characters, no control characters",
                        null);
            }
        });
        return tags;
    }

    static String humanBytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
