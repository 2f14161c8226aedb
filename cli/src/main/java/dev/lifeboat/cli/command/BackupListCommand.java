package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.cli.SinceConverter;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.SetListing;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.manage.ListBackups;
import dev.lifeboat.core.manage.ListBackupsQuery;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat backup list}. */
@Command(
        name = "list",
        description = "List committed backups, newest first. Reads manifests only: works while the database is down.")
public final class BackupListCommand extends ServiceCommand {
    @Option(
            names = "--database",
            paramLabel = "NAME",
            description = "Only backups of this configured database or directory.")
    String database;

    @Option(
            names = "--set",
            paramLabel = "NAME",
            description = "Only runs of this set, grouped: one block (one JSON object under \"sets\") per run.")
    String set;

    @Mixin
    StoreOption store;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            converter = SinceConverter.class,
            description =
                    "Only backups created since a time (2026-11-22T07:00:00Z, 2026-11-22) or an age (12h, 7d, 2w).")
    Instant since;

    @Option(names = "--limit", paramLabel = "N", description = "At most N backups (default: all).")
    int limit;

    @Override
    protected int run(BackupService service) {
        if (limit < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be 0 or more");
        }
        if (set != null) {
            if (database != null) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--set and --database cannot be combined");
            }
            List<SetListing> runs = service.listSets(set, store.name(), since, limit);
            out().resultList("sets", runs, () -> HumanText.sets(set, runs));
            return ExitCodes.OK;
        }
        ListBackups.Listed listed =
                service.listWithLeftovers(new ListBackupsQuery(database, store.name(), since, limit));
        List<BackupRecord> backups = listed.backups();
        int leftovers = listed.leftovers();
        out().backupList(
                        "backups",
                        backups,
                        () -> HumanText.list(backups),
                        "leftovers",
                        leftovers > 0 ? leftovers : null);
        if (leftovers > 0) {
            out().note("note: " + leftovers + " leftover(s) of runs that did not finish (partial uploads,"
                    + " uncommitted data, stale spool files or passfiles); 'lifeboat gc' lists and removes them");
        }
        return ExitCodes.OK;
    }
}
