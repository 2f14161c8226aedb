package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.PlanBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code lifeboat approve <plan-id>}: a person at a terminal reads a plan in full and approves it by
 * typing what it acts on. Refused without a terminal: an agent's shell tool runs commands with pipes,
 * so the command that approves a plan cannot be run by the agent whose plan it is. (An agent that
 * allocates a pseudo-terminal is not stopped by this; docs/security.md says what is.)
 */
@Command(
        name = "approve",
        description = {
            "Approve a destructive plan as an operator (approval mode 'operator').",
            "Shows the plan and asks you to type what it acts on; needs an interactive terminal.",
            "The plan's token then works for whoever holds it, until it expires."
        })
public final class ApproveCommand extends ServiceCommand {
    @Parameters(index = "0", paramLabel = "PLAN_ID", description = "The plan id shown with the plan.")
    String planId;

    @Override
    protected void beforeConfiguration() {
        if (!environment().terminal().interactive()) {
            // before the configuration and the plan are read: nothing about either reaches a pipe,
            // and a user who cannot read the configuration hears why approving cannot work at all
            throw new LifeboatException(
                    ErrorCode.CONFIRMATION_REQUIRED,
                    "approving a plan needs a person at an interactive terminal, and stdin or stdout is not one;"
                            + " nothing was approved",
                    "run it yourself in a terminal; a script or an agent cannot approve a plan");
        }
    }

    @Override
    protected int run(BackupService service) {
        Confirmations.Pending plan = service.pendingPlan(planId);
        out().note(describe(plan));
        if (plan.approved()) {
            out().note("This plan is already approved.");
        }
        String expected = expected(plan);
        String typed =
                environment().terminal().readLine("To approve, type " + what(plan.binding()) + " (" + expected + "): ");
        if (typed == null || !typed.trim().equals(expected)) {
            throw new LifeboatException(
                    ErrorCode.CONFIRMATION_REQUIRED,
                    "the typed confirmation did not match " + what(plan.binding()) + "; nothing was approved",
                    "type '" + expected + "' exactly");
        }
        String approver = environment().user();
        String summary = service.approve(planId, approver);
        out().result(
                        new Documents.Approved("approved", planId, approver, summary),
                        summary + " (approver: " + approver + ")");
        return ExitCodes.OK;
    }

    /** The plan in full: its words as the model was given them, and the facts its token is bound to. */
    static String describe(Confirmations.Pending plan) {
        PlanBinding b = plan.binding();
        StringBuilder s = new StringBuilder();
        s.append("Plan " + plan.planId() + " (made " + plan.issuedAt() + ", expires " + plan.expiresAt() + ")\n");
        s.append(plan.summary() != null ? plan.summary() : "(this plan's words were not kept; what it is bound to:)")
                .append('\n');
        s.append("  operation: " + b.operation() + " (" + b.mode() + ")\n");
        s.append("  backup:    ").append(b.backupId()).append('\n');
        s.append("  target:    ").append(b.target());
        return s.toString();
    }

    /** What the person types: the name of what the plan acts on, or the plan id (prune, gc). */
    static String expected(Confirmations.Pending plan) {
        return plan.binding().typedConfirmation(plan.planId());
    }

    private static String what(PlanBinding b) {
        return b.whatToType();
    }
}
