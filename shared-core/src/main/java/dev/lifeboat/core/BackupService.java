package dev.lifeboat.core;

import dev.lifeboat.core.backup.BackupSets;
import dev.lifeboat.core.backup.CreateBackup;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.backup.SetListing;
import dev.lifeboat.core.backup.SetRunResult;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.health.CheckHealth;
import dev.lifeboat.core.health.HealthReport;
import dev.lifeboat.core.manage.Approvals;
import dev.lifeboat.core.manage.BackupCopier;
import dev.lifeboat.core.manage.CopyBackup;
import dev.lifeboat.core.manage.DeleteBackup;
import dev.lifeboat.core.manage.DeletePlan;
import dev.lifeboat.core.manage.Inventory;
import dev.lifeboat.core.manage.InventoryView;
import dev.lifeboat.core.manage.LeftoverPlan;
import dev.lifeboat.core.manage.Leftovers;
import dev.lifeboat.core.manage.ListBackups;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.manage.PruneBackups;
import dev.lifeboat.core.manage.PrunePlan;
import dev.lifeboat.core.notify.Notifications;
import dev.lifeboat.core.notify.ObjectiveAlerts;
import dev.lifeboat.core.restore.BackupContents;
import dev.lifeboat.core.restore.DatabaseRestore;
import dev.lifeboat.core.restore.DirectoryRestore;
import dev.lifeboat.core.restore.DirectoryRestorePlan;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.restore.ListContents;
import dev.lifeboat.core.restore.PreviousCopy;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import dev.lifeboat.core.restore.RestoreUndo;
import dev.lifeboat.core.restore.Selection;
import dev.lifeboat.core.restore.UndoPlan;
import dev.lifeboat.core.restore.UndoRequest;
import dev.lifeboat.core.restore.UndoResult;
import dev.lifeboat.core.schedule.RunSchedule;
import dev.lifeboat.core.schedule.ScheduleEvent;
import dev.lifeboat.core.schedule.ScheduleSummary;
import dev.lifeboat.core.schedule.Scheduler;
import dev.lifeboat.core.schedule.SlotResult;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyBackup;
import dev.lifeboat.core.verify.VerifyLevel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one entry point of both faces: each method hands one request to one use case (the packages
 * {@code backup}, {@code verify}, {@code restore}, {@code manage}, {@code health}, {@code schedule}) and returns its outcome. Nothing
 * here decides anything. Methods throw {@link LifeboatException} for expected failures; a failed
 * verification is a report.
 */
public final class BackupService implements AutoCloseable {
    private final LifeboatContext ctx;
    private final CreateBackup create;
    private final ListBackups listing;
    private final Leftovers leftovers;
    private final VerifyBackup verify;
    private final DatabaseRestore databaseRestore;
    private final DirectoryRestore directoryRestore;
    private final RestoreUndo restoreUndo;
    private final DeleteBackup delete;
    private final PruneBackups prune;
    private final CopyBackup copy;
    private final Approvals approvals;
    private final CheckHealth health;
    private final Notifications notifications;
    private final ObjectiveAlerts objectives;
    private final RunSchedule schedule;

    /** Over the given adapters (see {@link LifeboatContext}); tests pass fakes. */
    public BackupService(
            LifeboatConfig config,
            Function<DatabaseConfig, DumpEngine> engines,
            Function<StoreConfig, BackupStore> storeOpener,
            PasswordSources passwords,
            Clock clock) {
        this(new LifeboatContext(config, engines, storeOpener, passwords, clock));
    }

    public BackupService(LifeboatContext ctx) {
        this.ctx = ctx;
        this.create = new CreateBackup(ctx);
        this.listing = new ListBackups(ctx);
        this.leftovers = new Leftovers(ctx);
        this.verify = new VerifyBackup(ctx);
        this.databaseRestore = new DatabaseRestore(ctx);
        this.directoryRestore = new DirectoryRestore(ctx);
        this.restoreUndo = new RestoreUndo(ctx);
        this.delete = new DeleteBackup(ctx);
        this.prune = new PruneBackups(ctx);
        this.copy = new CopyBackup(ctx);
        this.approvals = new Approvals(ctx);
        this.health = new CheckHealth(ctx);
        this.notifications = new Notifications(ctx);
        this.objectives = new ObjectiveAlerts(ctx);
        this.schedule = new RunSchedule(ctx);
    }

    /** The service with the real adapters for {@code config}; {@code env} supplies password variables. */
    public static BackupService open(LifeboatConfig config, Map<String, String> env) {
        return new BackupService(Wiring.context(config, env));
    }

    public LifeboatConfig config() {
        return ctx.config();
    }

    @Override
    public void close() {
        ctx.close();
    }

    /** What is configured, without secrets. */
    public Inventory inventory() {
        return InventoryView.of(ctx.config());
    }

    /** Backs up a configured database or directory (one namespace) into a store; the committed backup. */
    public BackupRecord create(CreateBackupRequest request, OperationContext context) {
        return notifications.around(request.database(), context, () -> create.create(request, null, context));
    }

    /** Every member of a set with its own compression (see the next method). */
    public SetRunResult createSet(
            String set, String store, String label, Map<String, String> tags, OperationContext context) {
        return createSet(set, store, label, tags, null, context);
    }

    /**
     * Backs up every member of a configured set in turn; a failed member is reported and does not
     * stop the others, a cancel does.
     *
     * @param store the store for every member, or null for each member's own
     * @param compression "gzip", "zstd" or "none" for every member, or null for each member's own
     */
    public SetRunResult createSet(
            String set,
            String store,
            String label,
            Map<String, String> tags,
            String compression,
            OperationContext context) {
        return sets().create(
                        set,
                        store,
                        label,
                        tags,
                        compression,
                        context,
                        (request, run, c) ->
                                notifications.around(request.database(), c, () -> create.create(request, run, c)));
    }

    /** Set runs of one configured set, newest first, each with its backups (reads manifests only). */
    public List<SetListing> listSets(String set, String store, Instant since, int limit) {
        return sets().list(set, list(new ListBackupsQuery(null, store, since, 0)), limit);
    }

    /** Committed backups, newest first. Reads manifests only: works while the database is down. */
    public List<BackupRecord> list(ListBackupsQuery query) {
        return listing.list(query);
    }

    /** One backup's manifest; NOT_FOUND if no store holds it. */
    public BackupRecord get(String backupId, String store) {
        return ctx.get(backupId, store);
    }

    /** What a database backup holds (schemas, tables with row counts, other objects), for a selective restore. */
    public BackupContents contents(String backupId, String store, OperationContext context) {
        return new ListContents(ctx).contents(backupId, store, context);
    }

    /** A restore drill of only {@code selection}'s tables (or, with everything, as {@link #verify}). */
    public VerificationReport verify(
            String backupId, String store, VerifyLevel level, Selection selection, OperationContext context) {
        return verify.verify(backupId, store, level, selection, context);
    }

    /** A restore drill on the configured drill_target as a fresh server: owners kept, kept roles created there. */
    public VerificationReport verify(
            String backupId,
            String store,
            VerifyLevel level,
            Selection selection,
            boolean freshServer,
            OperationContext context) {
        return verify.verify(backupId, store, level, selection, freshServer, context);
    }

    /** Verifies a backup at the given level; integrity failures are reported, not thrown. */
    public VerificationReport verify(String backupId, String store, VerifyLevel level, OperationContext context) {
        return verify.verify(backupId, store, level, context);
    }

    /** Restore drill records (evidence) of one database, or all, newest first. */
    public List<DrillRecord> drills(String database, String store) {
        return listing.drills(database, store);
    }

    /**
     * Restores a database backup, or, when that would destroy data and the request carries no token,
     * changes nothing and answers with the plan to approve: the one confirmation flow of every face.
     */
    public Outcome<RestorePlan, RestoreResult> requestRestore(RestoreRequest request, OperationContext context) {
        return approvals.remember(databaseRestore.request(request, context));
    }

    /** What a restore would do; a destructive plan comes with a token bound to exactly it. */
    public RestorePlan planRestore(RestoreRequest request) {
        return approvals.remember(databaseRestore.planRestore(request));
    }

    /** Restores; a destructive restore needs the plan's token (CONFIRMATION_REQUIRED without one). */
    public RestoreResult restore(RestoreRequest request, OperationContext context) {
        return databaseRestore.restore(request, context);
    }

    /**
     * Undoes the last restore that replaced a database (the kept copy takes its place again), or
     * answers with the plan and its token when the request carries none.
     */
    public Outcome<UndoPlan, UndoResult> requestUndo(UndoRequest request, OperationContext context) {
        return approvals.remember(restoreUndo.request(request, context));
    }

    /** What undoing the last replacing restore of a database would do, with its token. */
    public UndoPlan planUndo(UndoRequest request) {
        return approvals.remember(restoreUndo.plan(request));
    }

    /** The copies replacing restores kept of a configured database, newest first. */
    public java.util.List<PreviousCopy> previousCopies(String database, String targetDbname) {
        return restoreUndo.copies(database, targetDbname);
    }

    /** The tables selective restores replaced in the database and keep for undo, newest first. */
    public java.util.List<dev.lifeboat.core.restore.KeptTables> keptTables(String database, String targetDbname) {
        return restoreUndo.keptTables(database, targetDbname);
    }

    /** What a directory restore would do; replacing a non-empty target comes with a token. */
    public DirectoryRestorePlan planDirectoryRestore(DirectoryRestoreRequest request) {
        return approvals.remember(directoryRestore.plan(request));
    }

    /** Restores a directory backup, or answers with the plan when the target is not empty and there is no token. */
    public Outcome<DirectoryRestorePlan, DirectoryRestoreResult> requestDirectoryRestore(
            DirectoryRestoreRequest request, OperationContext context) {
        return approvals.remember(directoryRestore.request(request, context));
    }

    /** Restores a directory backup into a directory; a non-empty target needs the plan's token. */
    public DirectoryRestoreResult restoreDirectory(DirectoryRestoreRequest request, OperationContext context) {
        return directoryRestore.restore(request, context);
    }

    /** Deletes a backup with the plan's token, or answers with the plan (and its token) without one. */
    public Outcome<DeletePlan, BackupRecord> requestDelete(
            String backupId, String store, String confirmToken, OperationContext context) {
        return requestDelete(backupId, store, confirmToken, false, context);
    }

    /**
     * As {@link #requestDelete(String, String, String, OperationContext)}; {@code allowLast} confirms
     * deleting a backup the plan guards (the last of its source, the last with a passing drill).
     */
    public Outcome<DeletePlan, BackupRecord> requestDelete(
            String backupId, String store, String confirmToken, boolean allowLast, OperationContext context) {
        return approvals.remember(delete.request(backupId, store, confirmToken, allowLast, context));
    }

    /** Works out what a delete would remove; always comes with a confirmation token. */
    public DeletePlan planDelete(String backupId, String store) {
        return approvals.remember(delete.plan(backupId, store));
    }

    /** Deletes a backup (manifest first, then data); needs the token from {@link #planDelete}. */
    public BackupRecord delete(String backupId, String store, String confirmToken, OperationContext context) {
        return delete.delete(backupId, store, confirmToken, context);
    }

    /** {@link #delete(String, String, String, OperationContext)}; a guarded backup also needs {@code allowLast}. */
    public BackupRecord delete(
            String backupId, String store, String confirmToken, boolean allowLast, OperationContext context) {
        return delete.delete(backupId, store, confirmToken, allowLast, context);
    }

    /** Copies a backup to another store ({@code from} null: any), its SHA-256 checked on the way and on arrival. */
    public BackupCopier.CopyResult copy(String backupId, String from, String to, OperationContext context) {
        return copy.copy(backupId, from, to, context);
    }

    /** What retention would remove (null database/store: all) and why each survivor is kept. */
    public PrunePlan planPrune(String database, String store) {
        return approvals.remember(prune.plan(database, store));
    }

    /** Prunes with the token, or answers with the dry run (a plan to approve when it removes anything). */
    public Outcome<PrunePlan, PrunePlan> requestPrune(
            String database, String store, String confirmToken, OperationContext context) {
        return approvals.remember(prune.request(database, store, confirmToken, context));
    }

    /** Removes what {@link #planPrune} listed, with its token (refused if that set changed since). */
    public PrunePlan prune(String database, String store, String confirmToken, OperationContext context) {
        return prune.prune(database, store, confirmToken, context);
    }

    /** What killed runs left behind (stores, spool, passfiles, unfinished audit runs); no token. */
    public LeftoverPlan findLeftovers(Duration minAge) {
        return leftovers.find(minAge);
    }

    /** Removes leftovers with the token, or answers with the dry run (a plan when there is anything to do). */
    public Outcome<LeftoverPlan, LeftoverPlan> requestGc(
            Duration minAge, String confirmToken, OperationContext context) {
        return approvals.remember(leftovers.request(minAge, confirmToken, context));
    }

    /** {@link #list}, with how many leftovers gc would remove that the listing saw on the way. */
    public ListBackups.Listed listWithLeftovers(ListBackupsQuery query) {
        return listing.listed(query);
    }

    /**
     * Every configured source judged against its objectives (rpo, drill_every, copies), with the facts
     * and the next step for each problem. Reads the stores' catalogs and the audit log only.
     */
    public HealthReport status() {
        HealthReport report = health.check();
        // a source that newly misses its objectives is announced to the targets asking for it, once
        objectives.announce(report, OperationContext.of("health", System.getProperty("user.name")));
        return report;
    }

    /**
     * Checks the audit log's hash chain: the first line that was changed, inserted or removed, if any.
     * Reads {@code state_dir} only.
     */
    public dev.lifeboat.core.audit.AuditReport verifyAudit() {
        try {
            return ctx.audit().verify();
        } catch (java.io.IOException e) {
            throw new LifeboatException(
                    ErrorCode.STATE_UNAVAILABLE,
                    "cannot read the audit log " + ctx.audit().file() + ": " + e.getMessage(),
                    null,
                    e);
        }
    }

    /** A plan still waiting to run (known, not executed, not expired), as an operator is shown it. */
    public Confirmations.Pending pendingPlan(String planId) {
        return approvals.pending(planId);
    }

    /** Records an operator's approval of a plan (approval mode 'operator'); returns what was approved. */
    public String approve(String planId, String approver) {
        return approvals.approve(planId, approver);
    }

    /** Every configured schedule with its next fire time and last run (from its run markers). */
    public List<ScheduleSummary> schedules() {
        return schedule.list();
    }

    /**
     * Runs the latest slot of a schedule at or before now, unless a worker has taken it already:
     * what a systemd timer or a Kubernetes CronJob starts.
     */
    public SlotResult runSchedule(String name, OperationContext context) {
        return schedule.runLatest(name, context);
    }

    /**
     * The foreground scheduler over every configured schedule; its runs use {@code context}, whose
     * cancel signal stops them cleanly. {@code events} hears what it does, from its own threads.
     */
    public Scheduler scheduler(OperationContext context, Executor executor, Consumer<ScheduleEvent> events) {
        return schedule.scheduler(context, executor, events);
    }

    private BackupSets sets() {
        return new BackupSets(ctx.config(), ctx.clock());
    }
}
