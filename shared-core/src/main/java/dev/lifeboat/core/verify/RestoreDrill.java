package dev.lifeboat.core.verify;

import dev.lifeboat.core.archive.VerifiedArchive;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.DatabaseState;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.RestoreOptions;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.restore.DatabaseRestore;
import dev.lifeboat.core.restore.Owners;
import dev.lifeboat.core.restore.RoleSetup;
import dev.lifeboat.core.restore.SelectedEntries;
import dev.lifeboat.core.restore.Selection;
import dev.lifeboat.core.restore.StoredRoles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore drill of a database backup: restore the verified archive into a new scratch database,
 * compare every table (rows and content digests) with the manifest and the archive, drop the scratch
 * database (also on failure), and store the evidence beside the backup. A drill that cannot complete
 * is a FAIL record with the reason, not an exception; only cancellation throws.
 */
public final class RestoreDrill {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreDrill.class);

    private final LifeboatContext ctx;
    private final VerifiedArchive archives;

    public RestoreDrill(LifeboatContext ctx) {
        this.ctx = ctx;
        this.archives = new VerifiedArchive(ctx);
    }

    /**
     * Restores a verified backup into a new scratch database, compares every table with the manifest
     * and the archive, drops the scratch database (also on failure), and stores the evidence beside
     * the backup. A drill that cannot complete is a FAIL record with the reason, not an exception;
     * only cancellation throws.
     */
    public DrillRecord drill(BackupRecord rec, OperationContext context) {
        return drill(rec, context, Selection.EVERYTHING);
    }

    /**
     * As above, restoring and comparing only {@code selection}'s tables (whole, with what they need):
     * a drill a big database can afford every day. Its record names the selection; it does not count
     * for a drill_every objective, which asks for the whole backup.
     */
    public DrillRecord drill(BackupRecord rec, OperationContext context, Selection selection) {
        return drill(rec, context, selection, false);
    }

    /**
     * As above; {@code freshServer}: on the database's drill_target, which must be another server, with
     * the owners kept and the roles kept with the backup created there (and dropped afterwards): the
     * evidence that the backup restores after losing the host. Roles that cannot be kept or created
     * make a FAIL record naming them.
     */
    public DrillRecord drill(BackupRecord rec, OperationContext context, Selection selection, boolean freshServer) {
        Manifest m = rec.manifest();
        DatabaseConfig source = ctx.config().databases().get(m.database());
        DatabaseConfig host;
        if (freshServer) {
            host = freshServer(m, source);
        } else if (source != null) {
            host = source.drillTarget() != null ? ctx.config().database(source.drillTarget()) : source;
        } else if (ctx.config().defaultDatabase() != null) {
            host = ctx.config().database(null);
        } else {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "backup " + m.id() + " comes from database '" + m.database()
                            + "', which is not configured here, and there is no default database to drill on",
                    "configure '" + m.database() + "' (optionally with drill_target) or set defaults.database");
        }
        try (DumpEngine engine = ctx.engine(host)) {
            return drill(rec, context, host, engine, selection, freshServer);
        }
    }

    /** The drill_target of {@code source}, which must be a server other than the source's. */
    private DatabaseConfig freshServer(Manifest m, DatabaseConfig source) {
        if (source == null || source.drillTarget() == null) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "a drill on a fresh server runs on the drill_target of '" + m.database() + "', and "
                            + (source == null ? "that database is not configured here" : "it has none"),
                    "set drill_target on '" + m.database() + "' to a configured database on a scratch server whose"
                            + " roles are not the source's (its login must be a superuser to create roles)");
        }
        DatabaseConfig host = ctx.config().database(source.drillTarget());
        if (host.host().equals(source.host()) && host.port() == source.port()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the drill_target of '" + m.database() + "' ('" + host.name() + "') is on the same server ("
                            + host.host() + ":" + host.port() + "), whose roles are the source's: a drill there"
                            + " proves nothing about a fresh server",
                    "point drill_target at a configured database on another server");
        }
        return host;
    }

    private DrillRecord drill(
            BackupRecord rec,
            OperationContext context,
            DatabaseConfig host,
            DumpEngine engine,
            Selection selection,
            boolean freshServer) {
        Manifest m = rec.manifest();
        DrillEvidence evidence = new DrillEvidence(ctx, rec, context);
        ConnectionSpec base = ctx.passwords().connect(host);
        ConnectionSpec scratch = base.withDatabase("lifeboat_drill_"
                + m.backupId().createdAt().getEpochSecond() + "_"
                + java.util.HexFormat.of()
                        .toHexDigits(
                                java.util.concurrent.ThreadLocalRandom.current().nextInt()));
        Map<String, dev.lifeboat.core.engine.TableContent>[] contents = newContents();
        ServerInfo[] drillServer = new ServerInfo[1];
        boolean[] created = new boolean[1];
        RoleSetup[] roles = new RoleSetup[1];
        List<String> selected = new ArrayList<>();
        boolean dropped = false;
        // held while the scratch database exists: gc drops only scratch databases whose lock is free
        Databases.Lock scratchLock = lockScratch(engine, scratch);
        try {
            archives.read(rec, context, "no scratch database was created", null, archive -> {
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
                RestoreOptions options = new RestoreOptions(false, ctx.config().restoreJobs(host));
                List<Integer> only = null;
                if (!selection.everything()) {
                    SelectedEntries entries = select(engine, archive, selection);
                    selected.addAll(entries.tables());
                    only = entries.ids();
                    options = options.only(only);
                }
                if (freshServer) {
                    // as a restore after losing the host: owners kept, the kept roles created
                    roles[0] = RoleSetup.prepare(
                            engine,
                            scratch,
                            scratch.host() + ":" + scratch.port(),
                            m.roles() != null ? Owners.CREATE_ROLES : Owners.KEEP,
                            m,
                            archive,
                            DatabaseRestore.tableOfContents(engine, archive),
                            only,
                            () -> StoredRoles.read(ctx, rec));
                    roles[0].createRoles();
                    options = roles[0].apply(options);
                }
                engine.createDatabase(scratch);
                created[0] = true;
                engine.restore(archive, scratch, options);
                context.progress().report(0, -1, "comparing tables");
                contents[0] = only(engine.archiveContents(archive, only), selected);
                contents[1] = only(engine.databaseContents(scratch), selected);
                return null;
            });
        } catch (LifeboatException e) {
            if (context.cancel().isCancelled() || e.code() == ErrorCode.CANCELLED) {
                dropScratch(engine, scratch, created[0]);
                if (roles[0] != null) {
                    roles[0].dropCreated();
                }
                release(scratchLock);
                throw LifeboatException.cancelled(e);
            }
            evidence.failed(e.code() + ": " + e.getMessage());
        } finally {
            Thread.interrupted();
        }
        if (created[0]) {
            String dropError = dropScratch(engine, scratch, true);
            dropped = dropError == null;
            if (dropError != null) {
                evidence.failed(dropError);
            }
        }
        if (roles[0] != null) {
            List<String> made = roles[0].created();
            // the roles owned only what the scratch database held; while it is there, they stay with it
            boolean rolesDropped = false;
            if (dropped || !created[0]) {
                String rolesError = roles[0].dropCreated();
                rolesDropped = rolesError == null;
                if (rolesError != null) {
                    evidence.failed(rolesError);
                }
            }
            evidence.onFreshServer(new DrillRecord.FreshServer(made, rolesDropped));
        } else if (freshServer) {
            evidence.onFreshServer(new DrillRecord.FreshServer(List.of(), false));
        }
        release(scratchLock);
        boolean exact = "exact".equals(m.rowCounts());
        if (contents[0] != null && contents[1] != null) {
            Map<String, Long> manifestRows = new java.util.LinkedHashMap<>();
            m.tables().stream()
                    .filter(t -> selection.everything() || selected.contains(t.qualifiedName()))
                    .forEach(t -> manifestRows.put(t.qualifiedName(), t.rows()));
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
                String mismatch = null;
                if (expected != got) {
                    mismatch = t + ": expected " + expected + " rows"
                            + (exact && manifestRows.containsKey(t) ? " (manifest, exact)" : " (archive)")
                            + ", restored "
                            + got;
                } else if (!ok) {
                    mismatch = t + ": restored rows differ from the archive's (digest " + restoredDigest + " vs "
                            + archiveDigest + ")";
                }
                evidence.compared(
                        new DrillRecord.TableResult(t, expected, got, archiveDigest, restoredDigest, ok), mismatch);
            }
        }
        return evidence.keep(
                m.server(),
                drillServer[0],
                scratch.dbname(),
                dropped,
                exact ? "manifest (exact)" : "archive",
                selection.everything()
                        ? !evidence.tables().isEmpty() == !m.tables().isEmpty()
                        : !evidence.tables().isEmpty(),
                selected);
    }

    /** The entries of the verified archive {@code archive} that restore {@code selection} into a scratch database. */
    private static SelectedEntries select(DumpEngine engine, java.nio.file.Path archive, Selection selection) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(archive)) {
            return SelectedEntries.of(engine.tableOfContents(in), selection, true);
        } catch (java.io.IOException e) {
            throw new LifeboatException(
                    ErrorCode.INTERNAL, "cannot read the verified archive " + archive + ": " + e.getMessage(), null, e);
        }
    }

    /** {@code contents} restricted to {@code tables}; all of it when none are named (a whole drill). */
    private static Map<String, dev.lifeboat.core.engine.TableContent> only(
            Map<String, dev.lifeboat.core.engine.TableContent> contents, List<String> tables) {
        if (tables.isEmpty()) {
            return contents;
        }
        Map<String, dev.lifeboat.core.engine.TableContent> out = new java.util.LinkedHashMap<>();
        contents.forEach((t, c) -> {
            if (tables.contains(t)) {
                out.put(t, c);
            }
        });
        return out;
    }

    /** The lock named for the scratch database, or null when the server would not give one (logged). */
    private static Databases.Lock lockScratch(DumpEngine engine, ConnectionSpec scratch) {
        try {
            return engine.databases().tryLock(scratch, scratch.dbname()).orElse(null);
        } catch (LifeboatException e) {
            LOG.info(
                    "no lock for scratch database {} ({}); gc cannot tell it is in use",
                    scratch.dbname(),
                    e.getMessage());
            return null;
        }
    }

    private static void release(Databases.Lock lock) {
        if (lock != null) {
            lock.close();
        }
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
}
