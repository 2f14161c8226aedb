package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.InventoryText;
import dev.lifeboat.cli.ScheduleText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.manage.Inventory;
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
        // the mcp: section belongs to the server module; check it here too so a typo shows before serving
        dev.lifeboat.mcp.settings.McpSettingsLoader.load(service.config().source());
        var schedules = ScheduleText.configured(service.config());
        String text = InventoryText.inventory(inventory);
        if (!schedules.isEmpty()) {
            text += "\n\nschedules\n" + ScheduleText.configuredTable(schedules);
        }
        out().result(new Documents.ConfigChecked("ok", inventory, schedules.isEmpty() ? null : schedules), text);
        return ExitCodes.OK;
    }
}
