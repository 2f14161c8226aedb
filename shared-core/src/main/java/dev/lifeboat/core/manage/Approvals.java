package dev.lifeboat.core.manage;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.context.LifeboatContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An operator's approval of a pending plan (approval mode 'operator'), audited. */
public final class Approvals {
    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);

    private final LifeboatContext ctx;
    private final LifeboatConfig config;

    public Approvals(LifeboatContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
    }

    /** Records an operator's approval of a plan (approval mode 'operator'); returns what was approved. */
    public String approve(String planId, String approver) {
        PlanBinding b = ctx.confirmations().approve(planId, approver);
        ctx.audit()
                .write(AuditLog.Entry.start(ctx.now(), OperationContext.of("cli", approver), "approve")
                        .about(b.backupId(), null, null)
                        .target(b.target())
                        .ok(null, "plan " + planId + ": " + b.operation() + " " + b.mode()));
        return "approved plan " + planId + ": " + b.operation() + " of backup " + b.backupId() + " (" + b.mode()
                + ") on " + b.target();
    }
}
