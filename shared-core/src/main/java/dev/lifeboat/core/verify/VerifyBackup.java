package dev.lifeboat.core.verify;

import dev.lifeboat.core.archive.BackgroundHash;
import dev.lifeboat.core.archive.StoredArchive;
import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.HashingInputStream;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.compress.ZstdCompression;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.restore.Selection;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.verify.VerificationReport.Check;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a backup at a level: the stored bytes (size, SHA-256, format), the archive read through
 * (pg_restore's table of contents, or the tar's entries), or a restore drill. Integrity failures are
 * a report, not an exception; every verification leaves an audit line.
 */
public final class VerifyBackup {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyBackup.class);

    private final LifeboatContext ctx;
    private final RestoreDrill restoreDrill;
    private final DirectoryDrill directoryDrill;

    public VerifyBackup(LifeboatContext ctx) {
        this.ctx = ctx;
        this.restoreDrill = new RestoreDrill(ctx);
        this.directoryDrill = new DirectoryDrill(ctx);
    }

    /** Verifies a backup at the given level; integrity failures are reported, not thrown. */
    public VerificationReport verify(String backupId, String store, VerifyLevel level, OperationContext context) {
        return verify(backupId, store, level, Selection.EVERYTHING, context);
    }

    /**
     * As above; at level RESTORE with a selection, the drill restores and compares only those tables
     * (INVALID_ARGUMENT at another level, or for a directory backup).
     */
    public VerificationReport verify(
            String backupId, String store, VerifyLevel level, Selection selection, OperationContext context) {
        return verify(backupId, store, level, selection, false, context);
    }

    /**
     * As above; {@code freshServer}: the drill runs on the configured drill_target, a server whose
     * roles are not the source's, keeping owners and creating the roles kept with the backup there, as
     * a restore after losing the host would (INVALID_ARGUMENT at another level or without one).
     */
    public VerificationReport verify(
            String backupId,
            String store,
            VerifyLevel level,
            Selection selection,
            boolean freshServer,
            OperationContext context) {
        if (freshServer && level != VerifyLevel.RESTORE) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "only a restore drill runs on a fresh server",
                    "verify at level restore");
        }
        if (!selection.everything() && level != VerifyLevel.RESTORE) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "only a restore drill can be limited to some tables (" + selection.describe() + ")",
                    "verify at level restore, or without tables");
        }
        Instant started = ctx.now();
        AuditLog.Entry entry =
                AuditLog.Entry.start(started, context, "verify:" + level.id()).about(backupId, null, store);
        EarlyHash early = EarlyHash.start(ctx, backupId, store, context);
        try {
            BackupRecord rec = ctx.getReadable(backupId, store);
            Timeline.mark("manifest read");
            Manifest m = rec.manifest();
            entry = entry.about(m.id(), m.database(), rec.store()).bytes(m.sizeBytes());
            ctx.audit().write(entry.started());
            if (!selection.everything() && m.ofDirectory()) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "backup " + m.id() + " is a directory backup: it has no tables to drill",
                        "drill it whole");
            }
            Timeline.mark("audit: start line written");
            VerificationReport report = check(rec, level, selection, freshServer, context, started, early);
            Timeline.mark("checks done");
            ctx.audit()
                    .write(
                            report.passed()
                                    ? entry.failed("passed", null, null)
                                    : entry.failed(
                                            "failed", ErrorCode.INTEGRITY_FAILED.name(), failedNames(report.checks())));
            return report;
        } catch (LifeboatException e) {
            // a verification that could not finish (unreadable store, cancel, nothing to drill on) is audited too
            ctx.audit().write(entry.error(e));
            throw e;
        } finally {
            if (early != null) {
                early.hash().close(); // stops a pass nobody waits for (a refused or failed verification)
            }
        }
    }

    /**
     * The SHA-256 pass over a local store's data file, started before the manifest is read: the data's
     * key follows from the backup id, so the hash (most of a checksum verification's time) overlaps
     * reading and parsing the manifest and writing the first audit line instead of following them.
     * Only when one store can hold the backup (named, or the only one configured) and it keeps plain
     * files; its result is used only for that store, and compared with the manifest as before.
     */
    private record EarlyHash(String store, BackgroundHash hash) {
        static EarlyHash start(LifeboatContext ctx, String backupId, String store, OperationContext context) {
            try {
                List<StoreConfig> stores = ctx.storesOrAll(store);
                if (stores.size() != 1) {
                    return null;
                }
                BackupId id = BackupId.parse(backupId);
                String name = stores.get(0).name();
                Optional<Path> file = ctx.catalog(name).localData(id);
                if (file.isEmpty() || !Files.isRegularFile(file.get())) {
                    return null;
                }
                long total = Files.size(file.get());
                return new EarlyHash(
                        name,
                        BackgroundHash.start(file.get(), n -> context.progress().report(n, total, "reading " + id)));
            } catch (IOException | RuntimeException e) {
                return null; // the in-line pass meets the same problem and reports it
            }
        }
    }

    /** The roles file a backup keeps ({@code globals: roles}) against the manifest's size and SHA-256. */
    private static Check rolesCheck(Catalog catalog, BackupId id, Manifest m) {
        String expected = m.roles().sizeBytes() + " bytes, " + m.roles().sha256();
        try (InputStream in = catalog.openRoles(id)) {
            HashingInputStream h = HashingInputStream.drain(in, n -> {});
            String found = h.count() + " bytes, " + h.sha256();
            return new Check("roles-sha256", found.equals(expected), expected, found, "the roles kept beside the data");
        } catch (IOException | LifeboatException e) {
            return new Check("roles-sha256", false, expected, "unreadable", e.getMessage());
        }
    }

    private VerificationReport check(
            BackupRecord rec,
            VerifyLevel level,
            Selection selection,
            boolean freshServer,
            OperationContext context,
            Instant started,
            EarlyHash early) {
        Manifest m = rec.manifest();
        BackupId id = m.backupId();
        Catalog catalog = ctx.catalog(rec.store());
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
            boolean hashedEarly = early != null && early.store().equals(rec.store());
            try (InputStream in = hashedEarly ? InputStream.nullInputStream() : catalog.openData(id);
                    CancelSignal.Registration r = context.cancel().onCancel(Thread.currentThread()::interrupt)) {
                Timeline.mark("hashing the stored bytes" + (hashedEarly ? " (waiting for the early pass)" : ""));
                h = hashedEarly
                        ? early.hash().await()
                        : HashingInputStream.drain(
                                in, n -> context.progress().report(n, m.sizeBytes(), "reading " + id));
                Timeline.mark("hashed " + h.count() + " bytes");
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
            if (m.roles() != null) {
                checks.add(rolesCheck(catalog, id, m));
            }
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
                DirectoryDrill.formatCheck(m, h.head()).ifPresent(checks::add);
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
                    checks.add(directoryDrill.archiveCheck(rec, context));
                } else {
                    checks.add(archiveCheck(catalog, rec, context));
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
                drill = m.ofDirectory()
                        ? directoryDrill.drill(rec, context)
                        : restoreDrill.drill(rec, context, selection, freshServer);
                checks.add(new Check(
                        "restore-drill",
                        drill.passed(),
                        m.ofDirectory()
                                ? "every file, directory and link restored"
                                : selection.everything()
                                        ? "every table restored with its rows"
                                        : "the selected tables restored with their rows",
                        drill.result() + " (" + drill.tables().size() + " tables compared in " + drill.scratchDatabase()
                                + ")",
                        drill.error() != null
                                ? drill.error()
                                : drill.mismatches().isEmpty() ? null : String.join("; ", drill.mismatches())));
            }
        }
        boolean passed = checks.stream().allMatch(Check::passed);
        long millis = Duration.between(started, ctx.now()).toMillis();
        return new VerificationReport(m.id(), rec.store(), level, passed, checks, started, millis, drill);
    }

    private Check archiveCheck(Catalog catalog, BackupRecord rec, OperationContext context) {
        Manifest m = rec.manifest();
        AgeIdentity identity = ctx.identityFor(rec);
        List<String> toc;
        try (DumpEngine engine = ctx.engine(ctx.config().databases().get(m.database()));
                StoredArchive a = StoredArchive.open(catalog, m, identity, context.cancel(), context.progress());
                CancelSignal.Registration r = context.cancel().onCancel(Thread.currentThread()::interrupt)) {
            try {
                toc = engine.listArchive(a.plain());
            } catch (IOException e) {
                context.cancel().throwIfCancelled();
                throw a.unreadable(e, "nothing was changed");
            }
        } catch (LifeboatException e) {
            context.cancel().throwIfCancelled();
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

    private static String failedNames(List<Check> checks) {
        return checks.stream()
                .filter(c -> !c.passed())
                .map(Check::name)
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }
}
