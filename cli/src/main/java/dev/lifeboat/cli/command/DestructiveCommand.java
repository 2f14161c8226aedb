package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.PlanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.confirm.Plan;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;

/**
 * A command that changes or removes data and so follows the confirmation flow: {@code --plan}
 * prints the plan and its token, {@code --confirm TOKEN} carries it out, and with neither a person
 * at a terminal may type a name instead while a script gets the plan and exit code 7.
 */
abstract class DestructiveCommand extends ServiceCommand {
    @ArgGroup(exclusive = true)
    ConfirmOptions confirm;

    protected final boolean planOnly() {
        return confirm != null && confirm.plan();
    }

    protected final String token() {
        return confirm == null ? null : confirm.token();
    }

    /**
     * Asks the person at the terminal to type {@code expected}; throws CONFIRMATION_REQUIRED when
     * they type anything else. When the plan also needs an operator's approval, the person who just
     * typed the name at this terminal is that operator.
     */
    protected final void confirmAtTerminal(
            BackupService service, Confirmation confirmation, String what, String expected) {
        String typed = environment().terminal().readLine("Type " + what + " (" + expected + ") to proceed: ");
        if (typed == null || !typed.trim().equals(expected)) {
            throw new LifeboatException(
                    ErrorCode.CONFIRMATION_REQUIRED,
                    "confirmation did not match " + what + "; nothing was changed",
                    "type '" + expected + "' exactly, or use --plan and then --confirm TOKEN");
        }
        if (confirmation.operatorApproval()) {
            service.approve(confirmation.planId(), environment().user());
        }
    }

    /**
     * Carries a destructive request through the core's one confirmation flow. {@code request} is
     * called with this command's token (null without --confirm); when the core answers with a plan to
     * approve, a person at a terminal types {@code what} ({@code expected} of the plan) and the request
     * runs again with the plan's token, while a script gets the plan, the command that carries it out,
     * and exit code 7.
     */
    protected final <P extends Plan, R> int confirmed(
            BackupService service,
            Function<String, Outcome<P, R>> request,
            Function<P, String> planText,
            Function<P, String> next,
            String what,
            Function<P, String> expected,
            Consumer<R> print) {
        Outcome<P, R> outcome = request.apply(token());
        if (outcome.confirmationRequired()) {
            P plan = outcome.plan();
            if (!canAsk()) {
                showPlan("confirmation_required", plan, planText.apply(plan), next.apply(plan));
                return ExitCodes.CONFIRMATION_REQUIRED;
            }
            out().note(planText.apply(plan));
            confirmAtTerminal(service, plan.confirmation(), what, expected.apply(plan));
            outcome = request.apply(plan.confirmation().token());
            if (outcome.confirmationRequired()) {
                throw new LifeboatException(
                        ErrorCode.CONFIRMATION_REQUIRED,
                        "the plan changed while it was being confirmed; nothing was changed",
                        "run the command again and confirm the new plan");
            }
        }
        print.accept(outcome.result());
        return ExitCodes.OK;
    }

    /**
     * Prints {@code plan} as {@code status} ("planned", "confirmation_required") with {@code next}, the
     * command that carries it out: its {@code text}, then what confirming it takes, or for a plan that
     * needs no confirmation, that it changed nothing and how to run it.
     */
    protected final void showPlan(String status, Plan plan, String text, String next) {
        String how = plan.confirmation() == null
                ? "nothing was changed. To run it:\n  " + next
                : PlanText.confirmation(plan.confirmation(), next);
        out().result(new Documents.Plan(status, plan, next), text + "\n\n" + how);
    }

    /** The exact command that carries out the plan with its token. */
    protected final CommandText withSharedOptions(CommandText command) {
        return command.option("--config", shared.config()).flag("--json", shared.json());
    }
}
