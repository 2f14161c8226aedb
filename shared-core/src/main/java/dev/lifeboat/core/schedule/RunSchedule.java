package dev.lifeboat.core.schedule;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.backup.BackupSets;
import dev.lifeboat.core.backup.CreateBackup;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.backup.SetRunResult;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.ScheduleConfig;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.manage.CopyBackup;
import dev.lifeboat.core.manage.PruneBackups;
import dev.lifeboat.core.manage.PrunePlan;
import dev.lifeboat.core.notify.Notifications;
import dev.lifeboat.core.notify.ObjectiveAlerts;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyBackup;
import dev.lifeboat.core.verify.VerifyLevel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one slot of a schedule: takes the slot's run marker, backs up (a database, a directory, or each
 * member of a set), then verifies, copies and prunes as the schedule says, and records how it ended.
 * Each step is the use case a person would run by hand ({@link CreateBackup} with the same
 * {@link Notifications} around it as {@code backup create}, {@link VerifyBackup}, {@link CopyBackup},
 * {@link PruneBackups}), so audit lines, webhooks and pings, and therefore {@code status} and the
 * metrics, are the same as for a manual run.
 *
 * <p>Why prune only after a clean run: retention that goes on deleting old backups while new ones fail
 * is how the last good copy disappears (pgbackweb#121). A run with any failed step prunes nothing.
 */
public final class RunSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(RunSchedule.class);
    /** Tags every scheduled backup carries, so a listing can tell them from manual ones. */
    public static final String TAG_SCHEDULE = "lifeboat.schedule";

    public static final String TAG_SLOT = "lifeboat.slot";

    private final LifeboatContext ctx;
    private final LifeboatConfig config;
    private final CreateBackup create;
    private final Notifications notifications;
    private final ObjectiveAlerts objectives;

    public RunSchedule(LifeboatContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.create = new CreateBackup(ctx);
        this.notifications = new Notifications(ctx);
        this.objectives = new ObjectiveAlerts(ctx);
    }

    /**
     * Runs slot {@code slot} of schedule {@code name} unless a worker has taken it already (then
     * {@link SlotResult.Status#SKIPPED}, nothing done).
     *
     * @throws LifeboatException CANCELLED when the caller cancelled it; the slot's claim is given back,
     *     so the next start (or another worker) runs it
     */
    public SlotResult run(String name, Instant slot, OperationContext context) {
        ScheduleConfig s = config.schedule(name);
        Instant started = ctx.now();
        String worker = worker();
        List<SlotResult.Step> steps = new ArrayList<>();
        SlotClaim claim = SlotClaim.take(
                markers(s),
                new RunMarkers.Claim(s.name(), slot, worker, started),
                SlotClaim.Timing.of(s.lease()),
                started,
                ctx::now,
                context,
                steps);
        if (claim == null) {
            return new SlotResult(
                    s.name(), slot, SlotResult.Status.SKIPPED, worker, started, ctx.now(), List.of(), steps);
        }
        context = claim.context();
        AuditLog.Entry audit = AuditLog.Entry.start(started, context, "schedule")
                .about(null, s.source(), markerStore(s).name())
                .target("schedule:" + s.name() + "@" + RunMarkers.stamp(slot));
        ctx.audit().write(audit.started());
        SlotResult result;
        try {
            List<BackupRecord> backups = backUp(s, slot, context, steps);
            boolean clean = steps.stream().allMatch(SlotResult.Step::ok);
            for (BackupRecord b : backups) {
                boolean verified = verify(s, b, context, steps);
                for (String to : s.copyTo()) {
                    if (!verified) {
                        steps.add(new SlotResult.Step(
                                "copy",
                                b.manifest().id() + " -> " + to,
                                false,
                                null,
                                "not copied: verification failed"));
                        continue;
                    }
                    copy(b, to, context, steps);
                }
            }
            clean = clean && steps.stream().allMatch(SlotResult.Step::ok);
            if (s.prune()) {
                prune(backups, clean, context, steps);
            }
            List<String> ids = backups.stream().map(b -> b.manifest().id()).toList();
            boolean ok = steps.stream().allMatch(SlotResult.Step::ok);
            result = new SlotResult(
                    s.name(),
                    slot,
                    ok ? SlotResult.Status.OK : SlotResult.Status.FAILED,
                    worker,
                    started,
                    ctx.now(),
                    ids,
                    steps);
        } catch (LifeboatException e) {
            // only a cancel escapes the steps: the caller's, or a takeover after this worker's lease lapsed
            ctx.audit().write(audit.error(e));
            claim.release();
            if (claim.lostTo() != null) {
                throw new LifeboatException(
                        ErrorCode.CANCELLED,
                        "slot " + slot + " of " + s.name() + " was taken over by "
                                + claim.lostTo().worker()
                                + " while this worker was silent longer than its lease: this run stopped",
                        null,
                        e);
            }
            throw e;
        }
        SlotResult.Step failure = result.firstFailure();
        ctx.audit()
                .write(
                        failure == null
                                ? audit.ok(null, String.join(", ", result.backupIds()))
                                : audit.failed(
                                        "error",
                                        failure.errorCode(),
                                        failure.action() + " " + failure.subject() + ": " + failure.message()));
        claim.finish(result);
        // a failed step may have made a source miss its objective: targets asking for it hear so once
        objectives.checkAndAnnounce(context);
        return result;
    }

    /** The newest run of {@code name} its marker store knows of; empty when none. */
    public Optional<RunMarkers.LastRun> last(String name) {
        return markers(config.schedule(name)).last(name);
    }

    /**
     * Runs the schedule's latest slot at or before now ({@code lifeboat schedule run-once}, what a
     * systemd timer or a Kubernetes CronJob starts at a fire time): a slot some worker took already is
     * {@link SlotResult.Status#SKIPPED}, so a timer catching up after downtime, a retried job or a
     * second host never runs one slot twice.
     */
    public SlotResult runLatest(String name, OperationContext context) {
        ScheduleConfig s = config.schedule(name);
        Instant slot = s.cron()
                .latestAtOrBefore(ctx.now())
                .orElseThrow(() -> new LifeboatException(
                        ErrorCode.NOT_FOUND,
                        "schedule '" + name + "' (" + s.cron() + ") has not fired yet: there is no slot to run",
                        "its first slot is "
                                + s.cron()
                                        .nextAfter(ctx.now())
                                        .map(Instant::toString)
                                        .orElse("never") + "; until then, back up its source directly"));
        return run(name, slot, context);
    }

    /**
     * The foreground scheduler over every configured schedule: each slot it starts runs through
     * {@link #run} with {@code context} (whose cancel signal also stops the scheduler's runs).
     */
    public Scheduler scheduler(
            OperationContext context,
            java.util.concurrent.Executor executor,
            java.util.function.Consumer<ScheduleEvent> events) {
        return new Scheduler(
                List.copyOf(config.schedules().values()),
                (name, slot) -> run(name, slot, context),
                this::lastDone,
                ctx.clock(),
                executor,
                events);
    }

    /**
     * The last slot of {@code name} that is settled for a starting scheduler: a slot without an outcome
     * (its worker died, or another still runs it) counts as not run, so the scheduler tries it once at
     * start-up, which takes it over when its claim's lease has lapsed and skips it otherwise.
     */
    private Optional<Instant> lastDone(String name) {
        return last(name)
                .flatMap(r -> r.result() != null
                        ? Optional.of(r.slot())
                        : config.schedule(name).cron().latestAtOrBefore(r.slot().minusSeconds(1)));
    }

    /** Every configured schedule with its next fire time and its last run. */
    public List<ScheduleSummary> list() {
        Instant now = ctx.now();
        List<ScheduleSummary> out = new ArrayList<>();
        for (ScheduleConfig s : config.schedules().values()) {
            ScheduleSummary.LastRun last = null;
            String error = null;
            try {
                last = last(s.name()).map(RunSchedule::summary).orElse(null);
            } catch (LifeboatException e) {
                error = e.code() + ": " + e.getMessage();
            }
            out.add(new ScheduleSummary(
                    s.name(),
                    s.cron().text(),
                    s.cron().zone().getId(),
                    s.kind().key(),
                    s.source(),
                    s.store(),
                    markerStore(s).name(),
                    s.verify(),
                    s.copyTo(),
                    s.prune(),
                    s.cron().nextAfter(now).orElse(null),
                    last,
                    error));
        }
        return out;
    }

    private static ScheduleSummary.LastRun summary(RunMarkers.LastRun r) {
        SlotResult done = r.result();
        String worker =
                done != null ? done.worker() : r.claim() != null ? r.claim().worker() : null;
        return new ScheduleSummary.LastRun(
                r.slot(),
                worker,
                done == null ? "running" : done.status().name().toLowerCase(java.util.Locale.ROOT),
                done == null ? null : done.finishedAt(),
                done == null ? List.of() : done.backupIds());
    }

    /**
     * The store that holds a schedule's run markers: the schedule's own {@code store}, else its
     * database's or directory's store, else the default store. Every worker of one configuration
     * agrees on it, which is all the claim needs.
     */
    public StoreConfig markerStore(ScheduleConfig s) {
        if (s.store() != null) {
            return config.store(s.store());
        }
        return switch (s.kind()) {
            case DATABASE -> config.storeFor(config.database(s.source()), null);
            case DIRECTORY -> config.storeFor(config.directory(s.source()), null);
            case SET -> config.store(null);
        };
    }

    private RunMarkers markers(ScheduleConfig s) {
        return new RunMarkers(ctx.store(markerStore(s)));
    }

    private List<BackupRecord> backUp(
            ScheduleConfig s, Instant slot, OperationContext context, List<SlotResult.Step> steps) {
        Map<String, String> tags = Map.of(TAG_SCHEDULE, s.name(), TAG_SLOT, RunMarkers.stamp(slot));
        if (s.kind() == ScheduleConfig.Kind.SET) {
            SetRunResult run = new BackupSets(config, ctx.clock())
                    .create(
                            s.source(),
                            s.store(),
                            null,
                            tags,
                            null,
                            context,
                            (request, setRun, c) -> notifications.around(
                                    request.database(), c, () -> create.create(request, setRun, c)));
            context.cancel().throwIfCancelled();
            List<BackupRecord> done = new ArrayList<>();
            for (SetRunResult.Member m : run.members()) {
                if (m.backup() != null) {
                    done.add(m.backup());
                    steps.add(SlotResult.Step.done(
                            "backup", m.name(), m.backup().manifest().id()));
                } else {
                    steps.add(new SlotResult.Step(
                            "backup", m.name(), false, m.error().name(), m.message()));
                }
            }
            return done;
        }
        CreateBackupRequest request = new CreateBackupRequest(s.source(), s.store(), null, tags);
        try {
            BackupRecord b = notifications.around(s.source(), context, () -> create.create(request, null, context));
            steps.add(SlotResult.Step.done("backup", s.source(), b.manifest().id()));
            return List.of(b);
        } catch (LifeboatException e) {
            rethrowIfCancelled(e);
            steps.add(SlotResult.Step.failed("backup", s.source(), e));
            return List.of();
        }
    }

    /** Verifies when the schedule asks; whether the backup may be copied. */
    private boolean verify(ScheduleConfig s, BackupRecord b, OperationContext context, List<SlotResult.Step> steps) {
        if (s.verify() == null) {
            return true;
        }
        String id = b.manifest().id();
        try {
            VerificationReport report =
                    new VerifyBackup(ctx).verify(id, b.store(), VerifyLevel.parse(s.verify()), context);
            steps.add(new SlotResult.Step(
                    "verify",
                    id,
                    report.passed(),
                    report.passed() ? null : ErrorCode.INTEGRITY_FAILED.name(),
                    s.verify() + (report.passed() ? " passed" : " failed: " + failedChecks(report))));
            return report.passed();
        } catch (LifeboatException e) {
            rethrowIfCancelled(e);
            steps.add(SlotResult.Step.failed("verify", id, e));
            return false;
        }
    }

    private void copy(BackupRecord b, String to, OperationContext context, List<SlotResult.Step> steps) {
        String subject = b.manifest().id() + " -> " + to;
        try {
            new CopyBackup(ctx).copy(b.manifest().id(), b.store(), to, context);
            steps.add(SlotResult.Step.done("copy", subject, "copied"));
        } catch (LifeboatException e) {
            rethrowIfCancelled(e);
            steps.add(SlotResult.Step.failed("copy", subject, e));
        }
    }

    /**
     * Applies each backed-up source's retention in the store its backup went to, planning and then
     * pruning with the plan's own token: the schedule's {@code prune: true} is the consent. Under
     * {@code confirm.approval: operator} the token alone is refused, and so is this step.
     */
    private void prune(
            List<BackupRecord> backups, boolean clean, OperationContext context, List<SlotResult.Step> steps) {
        Set<List<String>> targets = new LinkedHashSet<>();
        backups.forEach(b -> targets.add(List.of(b.manifest().database(), b.store())));
        if (!clean) {
            targets.forEach(t -> steps.add(SlotResult.Step.done(
                    "prune",
                    t.get(0) + " in " + t.get(1),
                    "skipped: a step of this run failed, and retention never runs after a failure")));
            return;
        }
        PruneBackups prune = new PruneBackups(ctx);
        for (List<String> t : targets) {
            String subject = t.get(0) + " in " + t.get(1);
            try {
                Outcome<PrunePlan, PrunePlan> planned = prune.request(t.get(0), t.get(1), null, context);
                PrunePlan done = planned.confirmationRequired()
                        ? prune.prune(
                                t.get(0),
                                t.get(1),
                                planned.plan().confirmation().token(),
                                context)
                        : planned.result();
                steps.add(SlotResult.Step.done("prune", subject, done.removeCount() + " removed"));
            } catch (LifeboatException e) {
                rethrowIfCancelled(e);
                steps.add(SlotResult.Step.failed("prune", subject, e));
            }
        }
    }

    private static String failedChecks(VerificationReport report) {
        return String.join(
                ", ",
                report.checks().stream()
                        .filter(c -> !c.passed())
                        .map(VerificationReport.Check::name)
                        .toList());
    }

    private static void rethrowIfCancelled(LifeboatException e) {
        if (e.code() == ErrorCode.CANCELLED) {
            throw e;
        }
    }

    /** {@code host:pid}: enough to find the process that took a slot. */
    static String worker() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid();
    }
}
