package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.Sizes;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.manage.BackupCopier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat backup copy <id> --to <store>}. */
@Command(
        name = "copy",
        description = {
            "Copy a backup to another configured store (e.g. local to off-site), streaming, with its SHA-256"
                    + " checked on the way and on arrival. The copy keeps the same id and checksum."
        })
public final class BackupCopyCommand extends ServiceCommand {
    @Parameters(index = "0", paramLabel = "BACKUP_ID", description = "The backup to copy.")
    String backupId;

    @Mixin
    StoreOption store;

    @Option(names = "--to", required = true, paramLabel = "STORE", description = "The configured store to copy to.")
    String to;

    @Override
    protected int run(BackupService service) {
        BackupCopier.CopyResult result = track(context -> service.copy(backupId, store.name(), to, context));
        String text = result.alreadyPresent()
                ? "backup " + result.manifest().id() + " is already in " + result.to() + " with the same checksum"
                : "copied " + result.manifest().id() + " (" + Sizes.bytes(result.bytes()) + ") from " + result.from()
                        + " to " + result.to() + (result.readBack() ? ", checksum verified on arrival" : "");
        out().result(result, text);
        return ExitCodes.OK;
    }
}
