package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.restore.BackupContents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat backup get <id>}. */
@Command(
        name = "get",
        description = {
            "Show one backup's manifest.",
            "With --contents, read what a database backup holds from its archive (schemas, tables with row counts,"
                    + " views, other objects by kind): the names 'restore --table' and '--schema' take."
        })
public final class BackupGetCommand extends ServiceCommand {
    @Parameters(index = "0", paramLabel = "BACKUP_ID", description = "The backup, e.g. app-20261122T071200Z-3f9a.")
    String backupId;

    @Mixin
    StoreOption store;

    @Option(
            names = "--contents",
            description = "List what the backup holds, read from the head of its archive (decrypted and"
                    + " decompressed on the way), instead of its manifest.")
    boolean contents;

    @Override
    protected int run(BackupService service) {
        if (contents) {
            BackupContents listed = track(context -> service.contents(backupId, store.name(), context));
            out().result(listed, HumanText.contents(listed));
            return ExitCodes.OK;
        }
        BackupRecord record = service.get(backupId, store.name());
        out().result(record, HumanText.detail(record));
        return ExitCodes.OK;
    }
}
