package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.core.BackupService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lifeboat approve <plan-id>}. */
@Command(
        name = "approve",
        description = {
            "Approve a destructive plan as an operator (approval mode 'operator').",
            "The plan's token then works for whoever holds it, until it expires."
        })
public final class ApproveCommand extends ServiceCommand {
    @Parameters(index = "0", paramLabel = "PLAN_ID", description = "The plan id shown with the plan.")
    String planId;

    @Override
    protected int run(BackupService service) {
        String approver = environment().user();
        String summary = service.approve(planId, approver);
        out().result(
                        new Documents.Approved("approved", planId, approver, summary),
                        summary + " (approver: " + approver + ")");
        return ExitCodes.OK;
    }
}
