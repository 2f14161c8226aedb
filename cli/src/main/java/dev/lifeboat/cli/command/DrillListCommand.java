package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.DrillRecord;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat drill list}. */
@Command(name = "list", description = "List restore drill records, newest first; --json gives the records themselves.")
public final class DrillListCommand extends ServiceCommand {
    @Option(names = "--database", paramLabel = "NAME", description = "Only drills of this configured database.")
    String database;

    @Mixin
    StoreOption store;

    @Override
    protected int run(BackupService service) {
        List<DrillRecord> drills = service.drills(database, store.name());
        out().resultList("drills", drills, () -> HumanText.drills(drills));
        return ExitCodes.OK;
    }
}
