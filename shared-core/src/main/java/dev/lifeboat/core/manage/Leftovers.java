package dev.lifeboat.core.manage;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.ByteSizes;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.StaleFiles;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code gc}: finds and removes what killed runs left behind. In the stores: temporary objects of
 * uploads that never finished ({@link BackupStore#unfinishedWrites}) and data under a backup's key
 * without a manifest ({@link Catalog.Listing#uncommitted}). On this host: restore spool files and
 * passfiles whose process is gone ({@link StaleFiles}; the commands that use them sweep them at their
 * start too). And the audit log's runs that started and never finished, which gc closes with an
 * "abandoned" line.
 *
 * <p>A store object counts as abandoned when it is older than {@code minAge} (another host's backup
 * may be writing it right now; a store cannot say whose it is), or at once when this host's audit log
 * shows the run that wrote that backup died. Like prune, the first call is a dry run whose token is
 * bound to a digest of exactly what it lists; something new left over meanwhile makes the token fail.
 */
public final class Leftovers {
    /** How old store data must be before gc takes it for abandoned without the audit log's word. */
    public static final Duration DEFAULT_MIN_AGE = Duration.ofHours(24);

    private static final Set<String> WRITING_OPERATIONS = Set.of("create", "copy");

    private final LifeboatContext ctx;

    public Leftovers(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /** What gc would remove now, without a token. */
    public LeftoverPlan find(Duration minAge) {
        Duration age = minAge == null ? DEFAULT_MIN_AGE : minAge;
        if (age.isNegative()) {
            throw new LifeboatException(ErrorCode.INVALID_ARGUMENT, "the minimum age cannot be negative", null);
        }
        Instant now = ctx.now();
        List<LeftoverPlan.Run> runs = runs();
        Set<String> deadWriters = deadWriters(runs);
        List<LeftoverPlan.Item> items = new ArrayList<>(new LeftoverDatabases(ctx).find());
        for (StoreConfig sc : ctx.storesOrAll(null)) {
            BackupStore store = ctx.store(sc);
            String where = "store:" + sc.name();
            for (ObjectInfo o : store.unfinishedWrites()) {
                String why = abandoned(o, age, now, deadWriters);
                if (why != null) {
                    items.add(new LeftoverPlan.Item(
                            LeftoverPlan.TEMPORARY_OBJECT, where, o.key(), o.size(), o.lastModified(), why));
                }
            }
            for (ObjectInfo o : ctx.listing(sc).listing(null).uncommitted()) {
                String why = abandoned(o, age, now, deadWriters);
                if (why != null) {
                    items.add(new LeftoverPlan.Item(
                            LeftoverPlan.UNCOMMITTED_DATA, where, o.key(), o.size(), o.lastModified(), why));
                }
            }
        }
        Path stateDir = ctx.config().stateDir();
        for (StaleFiles.Stale f : StaleFiles.spool(stateDir).list()) {
            items.add(local(LeftoverPlan.SPOOL_FILE, f));
        }
        for (StaleFiles.Stale f : StaleFiles.passfiles(stateDir.resolve("run")).list()) {
            items.add(local(LeftoverPlan.PASSFILE, f));
        }
        for (StaleFiles.Stale f : StaleFiles.drills(stateDir).list()) {
            items.add(local(LeftoverPlan.DRILL_SCRATCH, f));
        }
        for (Path dir : privateDirs(stateDir)) {
            for (StaleFiles.Stale f : StaleFiles.privateTemps(dir).list()) {
                items.add(local(LeftoverPlan.STATE_TEMP, f));
            }
        }
        for (LeftoverPlan.Run r : runs) {
            if (r.target() != null && r.target().startsWith("dir:")) {
                items.addAll(staging(Path.of(r.target().substring("dir:".length()))));
            }
        }
        long bytes = items.stream().mapToLong(LeftoverPlan.Item::bytes).sum();
        return new LeftoverPlan(items, bytes, runs, age, null, summary(items, bytes, runs));
    }

    /**
     * How many leftovers gc (with its default age) would remove among what costs no further store
     * listing: the uncommitted data of listings already made, local stores' temporary files, this
     * host's stale spool files and passfiles. Never fails: it only feeds a hint.
     */
    public int countSeen(Map<StoreConfig, Catalog.Listing> listings) {
        try {
            Instant now = ctx.now();
            List<ObjectInfo> candidates = new ArrayList<>();
            listings.forEach((sc, listing) -> {
                candidates.addAll(listing.uncommitted());
                BackupStore store = ctx.store(sc);
                if (store.capabilities().localFiles()) {
                    candidates.addAll(listing.unfinished() != null ? listing.unfinished() : store.unfinishedWrites());
                }
            });
            int count = 0;
            if (!candidates.isEmpty()) {
                Set<String> deadWriters = deadWriters(runs());
                for (ObjectInfo o : candidates) {
                    if (abandoned(o, DEFAULT_MIN_AGE, now, deadWriters) != null) {
                        count++;
                    }
                }
            }
            Path stateDir = ctx.config().stateDir();
            count += StaleFiles.spool(stateDir).list().size();
            count += StaleFiles.passfiles(stateDir.resolve("run")).list().size();
            return count;
        } catch (LifeboatException e) {
            return 0;
        }
    }

    /** {@link #find}, with the token that removes exactly that when there is anything to do. */
    public LeftoverPlan plan(Duration minAge) {
        LeftoverPlan found = find(minAge);
        if (found.items().isEmpty() && found.unfinishedRuns().isEmpty()) {
            return found;
        }
        Confirmation c = ctx.issue(binding(found));
        return new LeftoverPlan(
                found.items(), found.bytes(), found.unfinishedRuns(), found.minAge(), c, found.summary());
    }

    /** Removes with the token, or answers with the dry run (a plan to approve when it has anything to do). */
    public Outcome<LeftoverPlan, LeftoverPlan> request(Duration minAge, String confirmToken, OperationContext context) {
        if (!Confirmations.given(confirmToken)) {
            LeftoverPlan plan = plan(minAge);
            return plan.confirmation() == null ? Outcome.done(plan) : Outcome.confirmationRequired(plan);
        }
        return Outcome.done(remove(minAge, confirmToken, context));
    }

    /**
     * Removes what {@link #plan} listed, with its token; the leftovers are found again, and if they are
     * no longer the ones the token was issued for, it is refused.
     */
    public LeftoverPlan remove(Duration minAge, String confirmToken, OperationContext context) {
        LeftoverPlan plan = find(minAge);
        AuditLog.Entry base = AuditLog.Entry.start(ctx.now(), context, "gc").bytes(plan.bytes());
        try {
            Confirmations.requireToken(
                    confirmToken,
                    "gc removes " + plan.items().size() + " leftover(s); it needs a confirmation token",
                    Confirmations.DRY_RUN_FIRST);
            ctx.confirmations().redeem(confirmToken, binding(plan));
            ctx.audit().write(base.started());
            for (LeftoverPlan.Item item : plan.items()) {
                context.cancel().throwIfCancelled();
                removeOne(item);
            }
            // the planned runs as the log holds them now: one closed meanwhile is not closed twice
            java.util.Set<String> planned = new java.util.HashSet<>();
            plan.unfinishedRuns().forEach(run -> planned.add(run.startedAt() + "/" + run.pid()));
            for (AuditLog.Unfinished run : ctx.audit().unfinished()) {
                if (planned.contains(run.time() + "/" + run.pid())) {
                    ctx.audit()
                            .abandoned(
                                    run,
                                    context,
                                    "process " + run.pid()
                                            + " ended without an outcome (killed, or its host went down)");
                }
            }
            ctx.audit().write(base.ok(plan.bytes(), plan.items().size() + " removed"));
            return plan;
        } catch (LifeboatException e) {
            throw ctx.failed(base, e, context);
        }
    }

    private void removeOne(LeftoverPlan.Item item) {
        switch (item.kind()) {
            case LeftoverPlan.TEMPORARY_OBJECT -> storeOf(item).removeUnfinishedWrite(item.name());
            case LeftoverPlan.UNCOMMITTED_DATA -> storeOf(item).delete(item.name());
            case LeftoverPlan.RESTORE_SHADOW, LeftoverPlan.DRILL_DATABASE -> new LeftoverDatabases(ctx).remove(item);
            default -> {
                try {
                    StaleFiles.remove(Path.of(item.name()));
                } catch (IOException e) {
                    throw new LifeboatException(
                            ErrorCode.STATE_UNAVAILABLE,
                            "cannot remove " + item.name() + ": " + e.getMessage(),
                            "check the permissions of the state directory");
                }
            }
        }
    }

    private BackupStore storeOf(LeftoverPlan.Item item) {
        return ctx.store(ctx.config().store(item.where().substring("store:".length())));
    }

    private List<LeftoverPlan.Run> runs() {
        return ctx.audit().unfinished().stream()
                .map(u -> new LeftoverPlan.Run(
                        u.time(),
                        u.pid(),
                        u.started().operation(),
                        u.started().backupId(),
                        u.started().database(),
                        u.started().store(),
                        u.started().target(),
                        u.started().subject()))
                .toList();
    }

    /** The backups whose writing run (create, copy) died, by the audit log of this host. */
    private static Set<String> deadWriters(List<LeftoverPlan.Run> runs) {
        return runs.stream()
                .filter(r ->
                        r.backupId() != null && r.operation() != null && WRITING_OPERATIONS.contains(r.operation()))
                .map(LeftoverPlan.Run::backupId)
                .collect(Collectors.toSet());
    }

    /** Why store object {@code o} is abandoned, or null when it may still be being written. */
    private static String abandoned(ObjectInfo o, Duration minAge, Instant now, Set<String> deadWriters) {
        for (String id : deadWriters) {
            if (("/" + o.key()).contains("/" + id + "/")) {
                return "the run that wrote backup " + id + " died (audit log)";
            }
        }
        if (o.lastModified() != null && !o.lastModified().isAfter(now.minus(minAge))) {
            return "unchanged for " + human(Duration.between(o.lastModified(), now));
        }
        return null;
    }

    /**
     * What a directory restore into {@code dest} that was killed left beside it ({@code SafeExtractor}
     * and {@code StagedTree} name them): its staging directory, and the old contents set aside, but the
     * latter only once the new ones are in place: without {@code dest} they are all that is left of it.
     */
    private static List<LeftoverPlan.Item> staging(Path dest) {
        List<LeftoverPlan.Item> out = new ArrayList<>();
        Path parent = dest.getParent();
        if (parent == null || dest.getFileName() == null || !Files.isDirectory(parent)) {
            return out;
        }
        String name = "." + dest.getFileName();
        boolean placed = Files.isDirectory(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        try (var siblings = Files.newDirectoryStream(parent, glob(name) + ".lifeboat-*")) {
            for (Path p : siblings) {
                String n = p.getFileName().toString();
                boolean stagingDir = n.startsWith(name + ".lifeboat-restore-");
                boolean asideDir = n.startsWith(name + ".lifeboat-old-");
                if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || !(stagingDir || (asideDir && placed))) {
                    continue;
                }
                Instant changed = Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        .toInstant();
                out.add(new LeftoverPlan.Item(
                        LeftoverPlan.RESTORE_STAGING,
                        "host",
                        p.toString(),
                        StaleFiles.sizeOf(p),
                        changed,
                        (stagingDir ? "staging" : "old contents set aside") + " of a killed restore into " + dest));
            }
        } catch (IOException e) {
            // an unreadable parent: nothing gc can judge
        }
        return out;
    }

    private static String glob(String literal) {
        return literal.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    /** Where {@link dev.lifeboat.core.base.PrivateFiles} writes: the audit key, plans, objective states. */
    private static List<Path> privateDirs(Path stateDir) {
        return List.of(stateDir, stateDir.resolve("confirm"), stateDir.resolve("notify"));
    }

    private static LeftoverPlan.Item local(String kind, StaleFiles.Stale f) {
        String why =
                f.pid() == null ? "older than " + human(StaleFiles.MAX_AGE) : "its process " + f.pid() + " is gone";
        return new LeftoverPlan.Item(kind, "state_dir", f.file().toString(), f.bytes(), f.written(), why);
    }

    private static String summary(List<LeftoverPlan.Item> items, long bytes, List<LeftoverPlan.Run> runs) {
        if (items.isEmpty() && runs.isEmpty()) {
            return "Nothing left over: no partial uploads, uncommitted data, stale spool files or passfiles.";
        }
        StringBuilder sb = new StringBuilder();
        if (!items.isEmpty()) {
            sb.append("gc removes ")
                    .append(items.size())
                    .append(" leftover(s) (")
                    .append(ByteSizes.human(bytes))
                    .append(") of runs that did not finish");
        }
        if (!runs.isEmpty()) {
            sb.append(sb.length() == 0 ? "gc" : ", and")
                    .append(" records ")
                    .append(runs.size())
                    .append(" run(s) that started and never finished as abandoned in the audit log");
        }
        return sb.append(". This cannot be undone.").toString();
    }

    private static String human(Duration d) {
        if (d.toDays() >= 1) {
            return d.toDays() + " d";
        }
        if (d.toHours() >= 1) {
            return d.toHours() + " h";
        }
        return Math.max(0, d.toMinutes()) + " min";
    }

    /** Binds a gc token to exactly the leftovers and runs it acts on. */
    private static PlanBinding binding(LeftoverPlan plan) {
        StringBuilder what = new StringBuilder();
        plan.items()
                .forEach(i -> what.append(i.kind())
                        .append(' ')
                        .append(i.where())
                        .append(' ')
                        .append(i.name())
                        .append('\n'));
        plan.unfinishedRuns()
                .forEach(r -> what.append("run ")
                        .append(r.startedAt())
                        .append(' ')
                        .append(r.pid())
                        .append('\n'));
        String digest;
        try {
            digest = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(what.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new PlanBinding("gc", "leftovers", digest, "all stores", "gc");
    }
}
