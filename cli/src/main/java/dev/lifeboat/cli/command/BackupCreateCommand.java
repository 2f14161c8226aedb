package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.backup.SetRunResult;
import dev.lifeboat.core.catalog.BackupRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat backup create}. */
@Command(
        name = "create",
        description = {
            "Back up a configured database (pg_dump -Fc) or directory (a tar archive) into a store; prints the"
                    + " new backup.",
            "With --set, back up every member of a configured set, one after the other; a member that fails"
                    + " leaves the others committed, and the command exits with that member's error code."
        })
public final class BackupCreateCommand extends ServiceCommand {
    @ArgGroup(exclusive = true)
    Source source;

    /** What to back up: one of --database, --directory, --set (default: the default database). */
    static final class Source {
        @Option(
                names = "--database",
                paramLabel = "NAME",
                description = "A configured database (default: the default database).")
        String database;

        @Option(names = "--directory", paramLabel = "NAME", description = "A configured directory.")
        String directory;

        @Option(
                names = "--set",
                paramLabel = "NAME",
                description = "A configured set: every database and directory in it.")
        String set;
    }

    @Mixin
    StoreOption store;

    @Option(names = "--label", paramLabel = "TEXT", description = "Free text to remember the backup by.")
    String label;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag; repeat for more.")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(
            names = "--compression",
            paramLabel = "METHOD",
            description = "gzip (pg_dump's own for a database), zstd (compressed by Lifeboat on all cores:"
                    + " faster and smaller) or none. Default: the database's or directory's, else the store's"
                    + " compression setting, else gzip for a database and zstd for a directory. With --set it"
                    + " applies to every member.")
    String compression;

    @Mixin
    MetricsFileOption metrics;

    @Override
    protected int run(BackupService service) {
        return metrics.around(service, out().err(), () -> create(service));
    }

    private int create(BackupService service) {
        if (source != null && source.set != null) {
            SetRunResult run =
                    track(context -> service.createSet(source.set, store.name(), label, tags, compression, context));
            out().result(run, HumanText.setRun(run));
            return run.members().stream()
                    .filter(m -> m.error() != null)
                    .findFirst()
                    .map(m -> ExitCodes.of(m.error()))
                    .orElse(ExitCodes.OK);
        }
        String name = source == null ? null : source.directory != null ? source.directory : source.database;
        if (source != null
                && source.directory != null
                && !service.config().directories().containsKey(name)) {
            service.config().directory(name); // NOT_FOUND naming the configured directories
        }
        CreateBackupRequest request = new CreateBackupRequest(name, store.name(), label, tags, compression);
        BackupRecord created = track(context -> service.create(request, context));
        out().result(created, HumanText.created(created));
        return ExitCodes.OK;
    }
}
