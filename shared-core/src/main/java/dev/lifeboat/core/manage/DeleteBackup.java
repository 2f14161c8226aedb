package dev.lifeboat.core.manage;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.ByteSizes;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.context.LifeboatContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes one backup (manifest first, then data), only with the token of its plan. */
public final class DeleteBackup {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteBackup.class);

    private final LifeboatContext ctx;
    private final LifeboatConfig config;

    public DeleteBackup(LifeboatContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
    }

    /** Works out what a delete would remove; always comes with a confirmation token. */
    /** Deletes with the token, or answers with the plan (and its token) without one. */
    public Outcome<DeletePlan, BackupRecord> request(
            String backupId, String store, String confirmToken, OperationContext context) {
        if (confirmToken == null || confirmToken.isBlank()) {
            return Outcome.confirmationRequired(plan(backupId, store));
        }
        return Outcome.done(delete(backupId, store, confirmToken, context));
    }

    public DeletePlan plan(String backupId, String store) {
        BackupRecord rec = ctx.get(backupId, store);
        Manifest m = rec.manifest();
        Confirmation c = ctx.issue(deleteBinding(rec));
        String summary = "Delete backup " + m.id() + " of database '" + m.database() + "' (taken " + m.createdAt()
                + ", "
                + ByteSizes.human(m.sizeBytes()) + ") from store '" + rec.store()
                + "'. Its data and manifest are removed; "
                + "this cannot be undone.";
        return new DeletePlan(m.id(), rec.store(), m.database(), m.createdAt(), m.sizeBytes(), c, summary);
    }

    /** Deletes a backup (manifest first, then data); needs the token from {@link #planDelete}. */
    public BackupRecord delete(String backupId, String store, String confirmToken, OperationContext context) {
        Instant started = ctx.now();
        BackupRecord rec = ctx.get(backupId, store);
        Manifest m = rec.manifest();
        AuditLog.Entry base = AuditLog.Entry.start(started, context, "delete")
                .about(m.id(), m.database(), rec.store())
                .bytes(m.sizeBytes());
        try {
            if (confirmToken == null || confirmToken.isBlank()) {
                throw new LifeboatException(
                        ErrorCode.CONFIRMATION_REQUIRED,
                        "deleting backup " + m.id() + " needs a confirmation token",
                        "make a plan first (" + Remedy.PLAN + ") and pass its token (" + Remedy.CONFIRM + ")");
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
