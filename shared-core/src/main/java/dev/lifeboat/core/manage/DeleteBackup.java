package dev.lifeboat.core.manage;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.ByteSizes;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
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
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes one backup (manifest first, then data), only with the token of its plan. */
public final class DeleteBackup {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteBackup.class);

    private final LifeboatContext ctx;

    public DeleteBackup(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /** Deletes with the token, or answers with the plan (and its token) without one. */
    public Outcome<DeletePlan, BackupRecord> request(
            String backupId, String store, String confirmToken, OperationContext context) {
        return request(backupId, store, confirmToken, false, context);
    }

    /**
     * As {@link #request(String, String, String, OperationContext)}; {@code allowLast} is the extra
     * confirmation a guarded backup (the last of its source, the last with a passing drill) needs.
     */
    public Outcome<DeletePlan, BackupRecord> request(
            String backupId, String store, String confirmToken, boolean allowLast, OperationContext context) {
        if (!Confirmations.given(confirmToken)) {
            return Outcome.confirmationRequired(plan(backupId, store));
        }
        return Outcome.done(delete(backupId, store, confirmToken, allowLast, context));
    }

    /** Works out what a delete would remove; always comes with a confirmation token. */
    public DeletePlan plan(String backupId, String store) {
        BackupRecord rec = ctx.get(backupId, store);
        Manifest m = rec.manifest();
        Confirmation c = ctx.issue(deleteBinding(rec));
        List<String> guards = guards(rec);
        String summary = "Delete backup " + m.id()
                + (m.label() == null ? "" : " (label " + Json.mapper().writeValueAsString(m.label()) + ")")
                + " of database '"
                + m.database() + "' (taken " + m.createdAt() + ", " + ByteSizes.human(m.sizeBytes())
                + ") from store '" + rec.store() + "'. Its data and manifest are removed; this cannot be undone."
                + (guards.isEmpty()
                        ? ""
                        : " CAUTION: " + String.join("; ", guards)
                                + ". Deleting it needs an explicit extra confirmation besides the token.");
        return new DeletePlan(
                m.id(), rec.store(), m.database(), m.createdAt(), m.sizeBytes(), c, summary, m.label(), guards);
    }

    /**
     * Why deleting {@code rec} deserves a second thought: no other backup of its source is left in any
     * store, or no other backup of it has a passing restore drill. A store that cannot be listed
     * counts as holding nothing, so a guard errs on the side of asking.
     */
    List<String> guards(BackupRecord rec) {
        Manifest m = rec.manifest();
        int others = 0;
        boolean drilled = false;
        boolean otherDrilled = false;
        for (StoreConfig sc : ctx.config().stores().values()) {
            Set<String> here = new HashSet<>();
            try {
                Catalog catalog = ctx.listing(sc);
                for (Manifest o : catalog.list(m.database())) {
                    if (!(sc.name().equals(rec.store()) && o.id().equals(m.id()))) {
                        others++;
                        here.add(o.id());
                    }
                }
                for (DrillRecord d : catalog.drills(m.database())) {
                    if (!d.passed()) {
                        continue;
                    }
                    if (sc.name().equals(rec.store()) && d.backupId().equals(m.id())) {
                        drilled = true;
                    } else if (here.contains(d.backupId())) {
                        otherDrilled = true;
                    }
                }
            } catch (LifeboatException e) {
                LOG.debug("store {} not counted for the delete guard: {}", sc.name(), e.getMessage());
            }
        }
        List<String> out = new ArrayList<>();
        if (others == 0) {
            out.add("it is the last backup of " + m.database() + " in every store");
        } else if (drilled && !otherDrilled) {
            out.add("it is the only backup of " + m.database() + " with a passing restore drill");
        }
        return out;
    }

    /** Deletes a backup (manifest first, then data); needs the token from {@link #planDelete}. */
    public BackupRecord delete(String backupId, String store, String confirmToken, OperationContext context) {
        return delete(backupId, store, confirmToken, false, context);
    }

    /** Deletes a backup with the plan's token; a guarded one also needs {@code allowLast}. */
    public BackupRecord delete(
            String backupId, String store, String confirmToken, boolean allowLast, OperationContext context) {
        Instant started = ctx.now();
        BackupRecord rec = ctx.get(backupId, store);
        Manifest m = rec.manifest();
        AuditLog.Entry base = AuditLog.Entry.start(started, context, "delete")
                .about(m.id(), m.database(), rec.store())
                .bytes(m.sizeBytes());
        try {
            Confirmations.requireToken(
                    confirmToken,
                    "deleting backup " + m.id() + " needs a confirmation token",
                    Confirmations.PLAN_FIRST);
            // the token is checked first (a bad token is refused as such), the guard asked before it is spent:
            // a refused call leaves it good for the call that confirms this too
            ctx.confirmations().check(confirmToken, deleteBinding(rec));
            List<String> guards = allowLast ? List.of() : guards(rec);
            if (!guards.isEmpty()) {
                throw new LifeboatException(
                        ErrorCode.CONFIRMATION_REQUIRED,
                        "backup " + m.id() + " was not deleted: " + String.join("; ", guards),
                        "if the user confirmed deleting it anyway, call again with the same token and "
                                + Remedy.ALLOW_LAST);
            }
            ctx.confirmations().redeem(confirmToken, deleteBinding(rec));
            ctx.audit().write(base.started());
            ctx.catalog(rec.store()).delete(m.backupId());
            ctx.audit().write(base.ok(m.sizeBytes(), null));
            return rec;
        } catch (LifeboatException e) {
            ctx.audit().write(base.error(e));
            throw e;
        }
    }

    private static PlanBinding deleteBinding(BackupRecord rec) {
        return new PlanBinding(
                "delete", rec.manifest().id(), rec.manifest().sha256(), "store:" + rec.store(), "delete");
    }
}
