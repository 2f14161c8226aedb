package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.Inventory;
import picocli.CommandLine.Command;

/** {@code lifeboat config check}. */
@Command(
        name = "check",
        description = {
            "Load and validate the configuration; print the databases and stores it names (never a password).",
            "Each problem is named by its setting, e.g. databases.app.port; exits 3 if there is any."
        })
public final class ConfigCheckCommand extends ServiceCommand {
    @Override
    protected int run(BackupService service) {
        Inventory inventory = service.inventory();
        out().result(new Documents.ConfigChecked("ok", inventory), HumanText.inventory(inventory));
        return ExitCodes.OK;
    }
}
