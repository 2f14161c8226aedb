package dev.lifeboat.core.manage;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.ByteSizes;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.context.LifeboatContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies retention: works out per source and store what the policy removes and why each survivor
 * is kept (the newest backup with a passing drill always is), and removes exactly that set with the
 * plan's token, manifest before data, so an interrupted prune never leaves a listed backup without data.
 */
public final class PruneBackups {
    private static final Logger LOG = LoggerFactory.getLogger(PruneBackups.class);

    private final LifeboatContext ctx;

    public PruneBackups(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Prunes with the token, or answers with the dry run: a plan to approve when it removes anything,
     * else done with nothing removed.
     */
    public Outcome<PrunePlan, PrunePlan> request(
            String database, String store, String confirmToken, OperationContext context) {
        if (!Confirmations.given(confirmToken)) {
            PrunePlan plan = plan(database, store);
            return plan.confirmation() == null ? Outcome.done(plan) : Outcome.confirmationRequired(plan);
        }
        return Outcome.done(prune(database, store, confirmToken, context));
    }

    /**
     * Applies each database's retention policy (its own, else its store's) and reports what would be
     * removed and which rule keeps each survivor. The newest backup with a passing restore drill is
     * always kept. Databases without a policy keep everything.
     *
     * @param database only this database, or null for all
     * @param store only this store, or null for every configured store
     */
    public PrunePlan plan(String database, String store) {
        PrunePlan plan = computePrune(database, store);
        if (!plan.removesAnything()) {
            return plan;
        }
        Confirmation c = ctx.issue(pruneBinding(plan, database, store));
        return new PrunePlan(
                plan.groups(), plan.removeCount(), plan.removeBytes(), plan.expiredCopies(), c, plan.summary());
    }

    /**
     * Removes what {@link #plan} listed, with its token. The plan is worked out again; if the
     * backups it would remove changed since the token was issued, the token is refused. Each backup's
     * manifest goes before its data, so an interrupted prune never leaves a listed backup without data.
     */
    public PrunePlan prune(String database, String store, String confirmToken, OperationContext context) {
        Instant started = ctx.now();
        PrunePlan plan = computePrune(database, store);
        AuditLog.Entry base = AuditLog.Entry.start(started, context, "prune")
                .about(null, database, store)
                .bytes(plan.removeBytes());
        try {
            if (!plan.removesAnything()) {
                ctx.audit().write(base.ok(0L, "nothing to remove"));
                return plan;
            }
            Confirmations.requireToken(
                    confirmToken,
                    "pruning removes " + plan.removeCount() + " backup(s); it needs a confirmation token",
                    Confirmations.DRY_RUN_FIRST);
            ctx.confirmations().redeem(confirmToken, pruneBinding(plan, database, store));
            ctx.audit().write(base.started());
            for (PrunePlan.Group g : plan.groups()) {
                Catalog catalog = ctx.catalog(g.store());
                for (PrunePlan.Removal r : g.remove()) {
                    context.cancel().throwIfCancelled();
                    catalog.delete(BackupId.parse(r.backupId()));
                    ctx.audit()
                            .write(AuditLog.Entry.start(ctx.now(), context, "prune:delete")
                                    .about(r.backupId(), g.database(), g.store())
                                    .ok(r.sizeBytes(), null));
                }
            }
            ExpiredCopies copies = new ExpiredCopies(ctx);
            for (PrunePlan.ExpiredCopy copy : plan.expiredCopies()) {
                context.cancel().throwIfCancelled();
                copies.drop(copy);
                ctx.audit()
                        .write(AuditLog.Entry.start(ctx.now(), context, "prune:drop-previous")
                                .about(copy.name(), copy.database(), null)
                                .target(copy.server() + "/" + copy.name())
                                .ok(null, "kept for undo of " + copy.target() + " until " + copy.expiredAt()));
            }
            ctx.audit()
                    .write(base.ok(
                            plan.removeBytes(),
                            plan.removeCount() + " removed"
                                    + (plan.expiredCopies().isEmpty()
                                            ? ""
                                            : ", " + plan.expiredCopies().size() + " previous copies dropped")));
            return new PrunePlan(
                    plan.groups(), plan.removeCount(), plan.removeBytes(), plan.expiredCopies(), null, plan.summary());
        } catch (LifeboatException e) {
            ctx.audit().write(base.error(e));
            throw e;
        }
    }

    private PrunePlan computePrune(String database, String store) {
        if (database != null) {
            BackupId.requireName(database, "database name");
        }
        List<StoreConfig> targets = store != null
                ? List.of(ctx.config().store(store))
                : List.copyOf(ctx.config().stores().values());
        List<PrunePlan.Group> groups = new ArrayList<>();
        int count = 0;
        long bytes = 0;
        for (StoreConfig sc : targets) {
            Catalog catalog = ctx.listing(sc);
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
                DatabaseConfig db = ctx.config().databases().get(e.getKey());
                dev.lifeboat.core.config.DirectoryConfig dir =
                        ctx.config().directories().get(e.getKey());
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
                            PrunePlan.NO_POLICY,
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
                dev.lifeboat.core.retention.RetentionPlan rp = policy.apply(candidates, ctx.now());
                List<PrunePlan.Kept> keep = rp.keep().stream()
                        .map(k -> new PrunePlan.Kept(
                                k.candidate().id(), k.candidate().createdAt(), k.reasons()))
                        .toList();
                List<PrunePlan.Removal> remove = rp.remove().stream()
                        .map(c -> new PrunePlan.Removal(
                                c.id(),
                                c.createdAt(),
                                byId.get(c.id()).sizeBytes(),
                                byId.get(c.id()).label()))
                        .toList();
                count += remove.size();
                bytes += remove.stream().mapToLong(PrunePlan.Removal::sizeBytes).sum();
                groups.add(new PrunePlan.Group(sc.name(), e.getKey(), policy.describe(), keep, remove));
            }
        }
        ExpiredCopies.Found copies =
                store == null ? new ExpiredCopies(ctx).find(database) : new ExpiredCopies.Found(List.of(), List.of());
        String summary = (count == 0
                        ? "Nothing to prune: every backup is kept by its database's retention policy."
                        : "Prune removes " + count + " backup(s) (" + ByteSizes.human(bytes) + ") from "
                                + groups.stream()
                                        .filter(g -> !g.remove().isEmpty())
                                        .map(g -> g.database() + " in " + g.store() + " ("
                                                + g.remove().size() + ")")
                                        .reduce((a, b) -> a + ", " + b)
                                        .orElse("")
                                + ". Manifests are removed before data; this cannot be undone.")
                + copiesSummary(copies);
        return new PrunePlan(groups, count, bytes, copies.copies(), null, summary);
    }

    /** The plan's words about previous copies: which expired ones it drops, which servers it could not ask. */
    private static String copiesSummary(ExpiredCopies.Found copies) {
        StringBuilder s = new StringBuilder();
        if (!copies.copies().isEmpty()) {
            s.append(" It also drops ")
                    .append(copies.copies().size())
                    .append(" copies that restores kept for undo and whose keep_previous has passed: ")
                    .append(String.join(
                            ", ",
                            copies.copies().stream()
                                    .map(c -> c.keptTables()
                                            ? "schema '" + c.name() + "' in '" + c.target() + "' (tables a selective"
                                                    + " restore replaced)"
                                            : "'" + c.name() + "' (was '" + c.target() + "' on " + c.server() + ")")
                                    .toList()))
                    .append("; after that those restores cannot be undone.");
        }
        if (!copies.unchecked().isEmpty()) {
            s.append(" Previous copies of ")
                    .append(String.join(", ", copies.unchecked()))
                    .append(" were not looked for: the database server could not be reached.");
        }
        return s.toString();
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
        plan.expiredCopies()
                .forEach(c -> ids.append(c.keptTables() ? "tables " : "copy ")
                        .append(c.server())
                        .append('/')
                        .append(c.keptTables() ? c.target() + "/" : "")
                        .append(c.name())
                        .append('\n'));
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
}
