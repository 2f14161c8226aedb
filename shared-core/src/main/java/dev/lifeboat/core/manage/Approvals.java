package dev.lifeboat.core.manage;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.confirm.Plan;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.context.LifeboatContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An operator's approval of a pending plan (approval mode 'operator'), audited. */
public final class Approvals {
    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);

    private final LifeboatContext ctx;

    public Approvals(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Keeps the words of a plan an operator must approve beside it (approval mode 'operator'), for
     * {@link #pending}; a plan that needs no approval, or no token, is left alone. Best effort: a plan
     * whose words could not be kept is still shown by what it is bound to.
     */
    public <P extends Plan> P remember(P plan) {
        Confirmation c = plan == null ? null : plan.confirmation();
        if (c != null && c.operatorApproval()) {
            try {
                ctx.confirmations().describe(c.planId(), words(plan));
            } catch (RuntimeException e) {
                LOG.warn("the words of plan {} were not kept: {}", c.planId(), e.getMessage());
            }
        }
        return plan;
    }

    /**
     * A plan's words as the approver reads them: its summary, and for a prune, which counts per source,
     * every backup it removes (by id, time and label), since that is what the person approves.
     */
    static String words(Plan plan) {
        if (!(plan instanceof PrunePlan prune)) {
            return plan.summary();
        }
        StringBuilder b = new StringBuilder(prune.summary());
        for (PrunePlan.Group g : prune.groups()) {
            for (PrunePlan.Removal r : g.remove()) {
                b.append("\n  remove " + r.backupId() + " (" + g.database() + " in " + g.store() + ", taken "
                        + r.createdAt() + ")");
                if (r.label() != null) {
                    b.append(" label ")
                            .append(dev.lifeboat.core.base.Json.mapper().writeValueAsString(r.label()));
                }
            }
        }
        return b.toString();
    }

    /** The same outcome, its plan's words kept when it is one an operator must approve. */
    public <P extends Plan, R> Outcome<P, R> remember(Outcome<P, R> outcome) {
        remember(outcome.plan());
        return outcome;
    }

    /** A plan still waiting to run, as an operator is shown it before approving. */
    public Confirmations.Pending pending(String planId) {
        return ctx.confirmations().pending(planId);
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
