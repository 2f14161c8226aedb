package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.BackupRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lifeboat backup get <id>}. */
@Command(name = "get", description = "Show one backup's manifest.")
public final class BackupGetCommand extends ServiceCommand {
    @Parameters(index = "0", paramLabel = "BACKUP_ID", description = "The backup, e.g. app-20261122T071200Z-3f9a.")
    String backupId;

    @Mixin
    StoreOption store;

    @Override
    protected int run(BackupService service) {
        BackupRecord record = service.get(backupId, store.name());
        out().result(record, HumanText.detail(record));
        return ExitCodes.OK;
    }
}
