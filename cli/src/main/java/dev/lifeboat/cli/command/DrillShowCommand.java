package dev.lifeboat.cli.command;

import dev.lifeboat.cli.DrillMarkdown;
import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.DrillRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lifeboat drill show <backup-id>}: the newest drill of a backup as Markdown evidence. */
@Command(
        name = "show",
        description =
                "Print the newest restore drill of a backup as a Markdown evidence document (--json: the record).")
public final class DrillShowCommand extends ServiceCommand {
    @Parameters(index = "0", paramLabel = "BACKUP_ID", description = "The backup whose drill to show.")
    String backupId;

    @Mixin
    StoreOption store;

    @Override
    protected int run(BackupService service) {
        BackupId id = BackupId.parse(backupId);
        DrillRecord newest = service.drills(id.database(), store.name()).stream()
                .filter(d -> d.backupId().equals(id.value()))
                .findFirst()
                .orElseThrow(() -> new LifeboatException(
                        ErrorCode.NOT_FOUND,
                        "no restore drill of backup " + id,
                        "run one: lifeboat verify " + id + " --level restore"));
        out().result(newest, DrillMarkdown.render(newest));
        return ExitCodes.OK;
    }
}
