package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupRecord;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.CreateBackupRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat backup create}. */
@Command(
        name = "create",
        description = "Back up a configured database (pg_dump -Fc) into a store; prints the new backup.")
public final class BackupCreateCommand extends ServiceCommand {
    @Option(
            names = "--database",
            paramLabel = "NAME",
            description = "A configured database (default: the default database).")
    String database;

    @Mixin
    StoreOption store;

    @Option(names = "--label", paramLabel = "TEXT", description = "Free text to remember the backup by.")
    String label;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag; repeat for more.")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(
            names = "--compression",
            paramLabel = "METHOD",
            description = "gzip (pg_dump's own), zstd (compressed by Lifeboat on all cores: faster and smaller)"
                    + " or none (default: the database's, else the store's compression setting, else gzip).")
    String compression;

    @Override
    protected int run(BackupService service) {
        CreateBackupRequest request = new CreateBackupRequest(database, store.name(), label, tags, compression);
        BackupRecord created = track(context -> service.create(request, context));
        out().result(created, HumanText.created(created));
        return ExitCodes.OK;
    }
}
