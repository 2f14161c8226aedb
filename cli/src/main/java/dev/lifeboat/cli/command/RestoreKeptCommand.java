package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.PlanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.restore.KeptTables;
import dev.lifeboat.core.restore.PreviousCopy;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat restore kept <database>}. */
@Command(
        name = "kept",
        description = {
            "List the copies 'restore --replace' kept of a database (real databases beside it, which psql can"
                    + " open), newest first, with when each expires. 'restore undo' puts back the newest unexpired one.",
            "Also the tables selective restores (--table/--schema with --replace) replaced, kept in lifeboat_prev_"
                    + " schemas inside the database."
        })
public final class RestoreKeptCommand extends ServiceCommand {
    @Parameters(index = "0", paramLabel = "DATABASE", description = "The configured database.")
    String database;

    @Option(names = "--target-dbname", paramLabel = "NAME", description = "Another database name on its server.")
    String targetDbname;

    record Kept(String database, List<PreviousCopy> copies, List<KeptTables> tables) {}

    @Override
    protected int run(BackupService service) {
        List<PreviousCopy> copies = service.previousCopies(database, targetDbname);
        List<KeptTables> tables = service.keptTables(database, targetDbname);
        Instant now = Instant.now();
        String text = PlanText.previousCopies(database, copies, now)
                + (tables.isEmpty() ? "" : "\n\n" + PlanText.keptTables(tables, now));
        out().result(new Kept(database, copies, tables), text);
        return ExitCodes.OK;
    }
}
