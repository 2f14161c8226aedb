package dev.lifeboat.cli.command;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.confirm.Confirmation;
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

    /** The exact command that carries out the plan with its token. */
    protected final CommandText withSharedOptions(CommandText command) {
        return command.option("--config", shared.config()).flag("--json", shared.json());
    }
}
