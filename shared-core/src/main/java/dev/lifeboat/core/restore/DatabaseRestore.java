package dev.lifeboat.core.restore;

import dev.lifeboat.core.archive.BackgroundHash;
import dev.lifeboat.core.archive.VerifiedArchive;
import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.backup.CreateBackup;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.RestoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a database backup: into a new database (created, and dropped again if the restore fails),
 * in place of an existing one by restoring beside it and swapping ({@link ReplaceRestore}, keeping
 * the old one for undo), or over one in place in one transaction. The last two are destructive: only
 * with the plan's token. The stored bytes are verified before pg_restore touches the target; every
 * outcome leaves an audit line.
 */
public final class DatabaseRestore {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRestore.class);

    private final LifeboatContext ctx;
    private final RestoreTarget targets;
    private final VerifiedArchive archives;
    private final StreamedRestore streamed;

    public DatabaseRestore(LifeboatContext ctx) {
        this.ctx = ctx;
        this.targets = new RestoreTarget(ctx);
        this.archives = new VerifiedArchive(ctx);
        this.streamed = new StreamedRestore(ctx, this::keptRoles);
    }

    /**
     * Restores, or answers with the plan when the restore is destructive and the request carries no
     * token: the one confirmation flow both faces render.
     */
    public Outcome<RestorePlan, RestoreResult> request(RestoreRequest request, OperationContext context) {
        if (request.mode() != null
                && request.mode() != RestoreMode.CREATE
                && !Confirmations.given(request.confirmToken())) {
            // only a restore over a database can need a token; a plan for any other would read everything twice
            RestorePlan plan = planRestore(request);
            if (plan.confirmation() != null) {
                return Outcome.confirmationRequired(plan);
            }
        }
        return Outcome.done(restore(request, context));
    }

    /**
     * Works out what a restore would do. A destructive plan (REPLACE or CLEAN over an existing
     * database) comes with a single-use confirmation token bound to this exact plan.
     */
    public RestorePlan planRestore(RestoreRequest request) {
        RestoreTarget.Resolved r = targets.resolve(request);
        try (DumpEngine engine = r.engine()) {
            // the archive's head: what a selection leaves out, and the roles its objects go to
            dev.lifeboat.core.engine.ArchiveToc toc = headOf(r);
            SelectedEntries entries = null;
            if (!r.selection().everything()) {
                entries = r.destructive()
                        ? SelectiveRestore.entries(toc, r)
                        : SelectedEntries.of(toc, r.selection(), true);
            }
            List<String> roles = RoleSetup.plan(r, toc, entries == null ? null : entries.ids());
            Confirmation confirmation = r.destructive() ? ctx.issue(r.binding()) : null;
            return r.plan(confirmation, entries == null ? List.of() : entries.skipped(), roles, streamed.planned(r));
        }
    }

    /**
     * The table of contents at the head of the stored archive (the whole is verified when the restore
     * runs): for the plan.
     */
    private dev.lifeboat.core.engine.ArchiveToc headOf(RestoreTarget.Resolved r) {
        Manifest m = r.record().manifest();
        OperationContext quiet = OperationContext.of("plan", "plan");
        try (dev.lifeboat.core.archive.StoredArchive archive = dev.lifeboat.core.archive.StoredArchive.open(
                        ctx.catalog(r.record().store()),
                        m,
                        ctx.identityFor(r.record()),
                        quiet.cancel(),
                        quiet.progress());
                java.io.InputStream plain = archive.plain()) {
            return r.engine().tableOfContents(plain);
        } catch (java.io.IOException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE, "cannot read backup " + m.id() + ": " + e.getMessage(), null, e);
        }
    }

    /**
     * Restores. A destructive restore needs the token from {@link #planRestore} (CONFIRMATION_REQUIRED
     * without one, TOKEN_REJECTED for a bad one). The stored bytes are verified before pg_restore
     * touches the target.
     */
    public RestoreResult restore(RestoreRequest request, OperationContext context) {
        return restore(request, context, false);
    }

    /**
     * Restores without a token of its own: for undo, whose plan and token covered this restore
     * (putting back a clean restore's safety backup).
     */
    RestoreResult restoreAuthorized(RestoreRequest request, OperationContext context) {
        return restore(request, context, true);
    }

    private RestoreResult restore(RestoreRequest request, OperationContext context, boolean authorized) {
        Instant started = ctx.now();
        RestoreTarget.Resolved r;
        // a local archive's checksum pass starts as soon as the backup is found and overlaps the
        // questions to the target server; it is awaited before anything touches the target
        BackgroundHash[] early = new BackgroundHash[1];
        try {
            r = targets.resolve(request, rec -> early[0] = archives.startHash(rec, context));
        } catch (RuntimeException failure) {
            if (early[0] != null) {
                early[0].close();
            }
            if (!(failure instanceof LifeboatException e)) {
                throw failure;
            }
            ctx.audit()
                    .write(AuditLog.Entry.start(started, context, "restore")
                            .about(request.backupId(), null, request.store())
                            .error(e));
            throw e;
        }
        try (DumpEngine engine = r.engine();
                BackgroundHash hash = early[0]) {
            return restore(request, r, hash, started, context, authorized);
        }
    }

    private RestoreResult restore(
            RestoreRequest request,
            RestoreTarget.Resolved r,
            BackgroundHash hash,
            Instant started,
            OperationContext context,
            boolean authorized) {
        Manifest m = r.record().manifest();
        AuditLog.Entry base = AuditLog.Entry.start(
                        started, context, "restore:" + r.mode().id())
                .about(m.id(), m.database(), r.record().store())
                .target(r.binding().target());
        try {
            if (r.destructive() && !authorized) {
                Confirmations.requireToken(
                        request.confirmToken(),
                        "restoring " + m.id() + " over the existing database '" + r.dbname() + "' on "
                                + r.serverText() + " (" + r.mode().id() + ") replaces "
                                + (r.selection().everything()
                                        ? "the " + r.state().tables().size() + " table(s) it holds now"
                                        : r.selection().describe() + " in it")
                                + "; it needs a confirmation token",
                        Confirmations.PLAN_FIRST);
                ctx.confirmations().redeem(request.confirmToken(), r.binding());
                Timeline.mark("restore: confirmation token redeemed");
            }
            context.cancel().throwIfCancelled();
            ctx.audit().write(base.started());
            Timeline.mark("audit: start line written");
            SelectedEntries[] selected = new SelectedEntries[1];
            ReplaceRestore.Replaced done = switch (r.mode()) {
                case REPLACE ->
                    r.dependents() != null
                            ? new SelectiveRestore(archives, ctx::now, this::keptRoles)
                                    .run(r, hash, context, x -> selected[0] = x)
                            : new ReplaceRestore(archives, streamed, ctx::now, this::keptRoles).run(r, hash, context);
                case CLEAN -> clean(r, hash, context);
                case CREATE -> {
                    List<String> notes = new java.util.ArrayList<>();
                    long bytes = restoreVerified(r, hash, context, () -> {}, s -> selected[0] = s, notes);
                    yield new ReplaceRestore.Replaced(bytes, null, null, List.of(), notes, 0);
                }
            };
            long millis = Duration.between(started, ctx.now()).toMillis();
            String detail = done.previous() != null
                    ? "kept " + done.previous()
                    : r.selection().everything()
                            ? null
                            : "only " + r.selection().describe();
            ctx.audit().write(base.ok(done.bytes(), detail));
            return new RestoreResult(
                    m.id(),
                    r.record().store(),
                    r.targetConfig().name(),
                    r.serverText(),
                    r.dbname(),
                    r.mode(),
                    done.bytes(),
                    m.sha256(),
                    started,
                    millis,
                    r.jobs(),
                    done.previous(),
                    done.previousExpiresAt(),
                    done.sessionsEnded(),
                    done.notes(),
                    done.swapMillis(),
                    selected[0] == null ? List.of() : selected[0].tables(),
                    selected[0] == null ? List.of() : selected[0].skipped());
        } catch (LifeboatException e) {
            throw ctx.failed(base, e, context);
        }
    }

    /**
     * A clean restore, under the target's restore lock: once the archive is verified, the safety
     * backup of the target (unless the plan said without), then pg_restore in one transaction.
     */
    private ReplaceRestore.Replaced clean(RestoreTarget.Resolved r, BackgroundHash hash, OperationContext context) {
        try (Databases.Lock lock = RestoreLock.take(r.engine().databases(), r.spec())) {
            String[] safety = new String[1];
            List<String> notes = new java.util.ArrayList<>();
            long bytes = restoreVerified(
                    r,
                    hash,
                    context,
                    () -> {
                        if (r.safetyBackup()) {
                            safety[0] = safetyBackup(r, context);
                        }
                    },
                    s -> {},
                    notes);
            return new ReplaceRestore.Replaced(bytes, safety[0], null, List.of(), notes, 0);
        }
    }

    /** The backup of the target a clean restore takes before it touches it; its id. */
    private String safetyBackup(RestoreTarget.Resolved r, OperationContext context) {
        Manifest m = r.record().manifest();
        context.progress().report(0, -1, "safety backup of " + r.dbname());
        try {
            return new CreateBackup(ctx)
                    .safetyCopy(
                            r.targetConfig(),
                            r.dbname(),
                            "safety copy before a clean restore of " + m.id(),
                            Map.of(
                                    SafetyBackups.TAG_KIND,
                                    SafetyBackups.CLEAN_RESTORE,
                                    SafetyBackups.TAG_TARGET,
                                    r.serverText() + "/" + r.dbname(),
                                    SafetyBackups.TAG_RESTORE_OF,
                                    m.id()),
                            context)
                    .manifest()
                    .id();
        } catch (LifeboatException e) {
            throw new LifeboatException(
                    e.code(),
                    "the safety backup of '" + r.dbname() + "' failed, so the clean restore did not start: "
                            + e.getMessage(),
                    "fix what the message names, or plan the restore without a safety backup (and without undo)",
                    e);
        }
    }

    /**
     * Verifies the stored bytes into a file pinned for pg_restore, then restores from that file; a
     * selective restore tells {@code selected} which entries it restored; {@code notes} is told what the
     * restore did about roles.
     */
    private long restoreVerified(
            RestoreTarget.Resolved r,
            BackgroundHash hash,
            OperationContext context,
            Runnable beforeTouching,
            java.util.function.Consumer<SelectedEntries> selected,
            List<String> notes) {
        if (hash == null && streamed.applies(r)) {
            // one job: straight from the store into pg_restore, no spool file
            return r.mode() == RestoreMode.CREATE
                    ? streamed.create(r, context, notes)
                    : streamed.clean(r, context, beforeTouching, notes);
        }
        DumpEngine engine = r.engine();
        // learn pg_restore's version while the archive is being verified
        engine.prepareRestore();
        return archives.read(r.record(), context, "the target database was not touched", hash, archive -> {
            Manifest m = r.record().manifest();
            context.progress().report(m.sizeBytes(), m.sizeBytes(), "restoring into " + r.dbname());
            dev.lifeboat.core.engine.ArchiveToc toc = tableOfContents(engine, archive);
            Timeline.mark("restore: table of contents read");
            if (r.mode() == RestoreMode.CREATE) {
                RestoreOptions options = new RestoreOptions(false, r.jobs());
                if (!r.selection().everything()) {
                    // chosen from the verified file itself, before the new database is created
                    SelectedEntries entries = SelectedEntries.of(toc, r.selection(), true);
                    selected.accept(entries);
                    options = options.only(entries.ids());
                }
                RoleSetup roles = RoleSetup.prepare(r, archive, toc, options.only(), () -> keptRoles(r));
                roles.createRoles();
                Timeline.mark("restore: roles decided");
                try {
                    RestoreOptions o = roles.apply(options);
                    restoreIntoNewDatabase(engine, r.spec(), () -> engine.restore(archive, r.spec(), o));
                } catch (LifeboatException e) {
                    throw roles.undo(e);
                }
                notes.addAll(roles.notes());
            } else {
                RoleSetup roles = RoleSetup.prepare(r, archive, toc, null, () -> keptRoles(r));
                // one job: pg_restore cannot combine --jobs with --single-transaction, and the
                // single transaction is what leaves the target as it was if the restore fails
                beforeTouching.run();
                roles.createRoles();
                try {
                    engine.restore(
                            archive,
                            r.spec(),
                            roles.apply(
                                    new RestoreOptions(true, 1, r.targetConfig().restoreLockTimeout())));
                } catch (LifeboatException e) {
                    throw roles.undo(cleanFailed(r, e));
                }
                notes.addAll(roles.notes());
            }
            return m.sizeBytes();
        });
    }

    /**
     * A clean restore's failure, saying that the target was left as it was; one that gave up on a lock
     * (BUSY, naming the sessions) also points at replace, which ends sessions instead of waiting.
     */
    static LifeboatException cleanFailed(RestoreTarget.Resolved r, LifeboatException e) {
        String hint = e.code() == ErrorCode.BUSY
                ? e.hint() + "; or restore with " + Remedy.MODE_REPLACE + ", which ends the sessions at its swap"
                : e.hint();
        return new LifeboatException(
                e.code(),
                e.getMessage() + "; the restore ran in one transaction, so '" + r.dbname() + "' was left as it was",
                hint,
                e);
    }

    private String keptRoles(RestoreTarget.Resolved r) {
        return StoredRoles.read(ctx, r.record());
    }

    /** The table of contents of the verified archive file {@code archive}. */
    public static dev.lifeboat.core.engine.ArchiveToc tableOfContents(DumpEngine engine, Path archive) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(archive)) {
            return engine.tableOfContents(in);
        } catch (java.io.IOException e) {
            throw new LifeboatException(
                    ErrorCode.INTERNAL,
                    "cannot read the verified archive " + archive + ": " + e.getMessage()
                            + "; the target database was not touched",
                    null,
                    e);
        }
    }

    /** Creates {@code spec}'s database and runs {@code restore} into it; drops it again if that fails. */
    static void restoreIntoNewDatabase(DumpEngine engine, ConnectionSpec spec, Runnable restore) {
        engine.createDatabase(spec);
        Timeline.mark("restore: database created");
        try {
            restore.run();
        } catch (LifeboatException e) {
            LifeboatException dropFailure = ReplaceRestore.dropAfterFailure(engine, spec);
            if (dropFailure != null) {
                throw new LifeboatException(
                        e.code(),
                        e.getMessage() + "; the partly restored database '" + spec.dbname() + "' could not be dropped: "
                                + dropFailure.getMessage(),
                        "drop it by hand: DROP DATABASE \"" + spec.dbname() + "\"",
                        e);
            }
            throw e.followedBy("; the new database '" + spec.dbname() + "' was removed again");
        }
    }
}
