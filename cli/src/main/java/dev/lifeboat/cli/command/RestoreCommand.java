package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.restore.DirectoryRestorePlan;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat restore <id>}. */
@Command(
        name = "restore",
        description = {
            "Restore a backup into a new database, or over an existing one with --clean.",
            "A directory backup is restored with --target-dir PATH: into a missing or empty directory at once, or"
                    + " replacing a non-empty directory's contents (destructive: needs a token or typing the path).",
            "The stored bytes are verified against the manifest before pg_restore touches the target.",
            "Restoring over an existing database is destructive: it needs --confirm TOKEN from a --plan run,"
                    + " or, at a terminal, typing the target database name."
        })
public final class RestoreCommand extends DestructiveCommand {
    @Parameters(index = "0", paramLabel = "BACKUP_ID", description = "The backup to restore.")
    String backupId;

    @Mixin
    StoreOption store;

    @Option(
            names = "--target",
            paramLabel = "DATABASE",
            description = "The configured database whose server receives the restore (default: the one backed up).")
    String target;

    @Option(
            names = "--target-database",
            paramLabel = "NAME",
            description = "The database name on that server (default: the configured database's own dbname).")
    String targetDbname;

    @Option(
            names = "--target-dir",
            paramLabel = "PATH",
            description = "For a directory backup: the directory to extract into. Missing or empty: created/filled;"
                    + " not empty: its contents are replaced (destructive).")
    java.nio.file.Path targetDir;

    @Option(
            names = "--clean",
            description = "Restore over the existing database: drop and recreate the backup's objects (destructive).")
    boolean clean;

    @Option(
            names = "--jobs",
            paramLabel = "N",
            description = "Parallel pg_restore jobs for a restore into a new database (default: the configured"
                    + " restore_jobs, else one per core). A --clean restore always runs one job, in one transaction.")
    Integer jobs;

    @Override
    protected int run(BackupService service) {
        if (targetDir != null) {
            if (clean || target != null || targetDbname != null) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--target-dir cannot be combined with --clean, --target or --target-database");
            }
            return restoreDirectory(service);
        }
        RestoreRequest request = new RestoreRequest(
                backupId,
                store.name(),
                target,
                targetDbname,
                clean ? RestoreMode.CLEAN : RestoreMode.CREATE,
                token(),
                jobs);
        if (token() != null || (!clean && !planOnly())) {
            // without --clean nothing existing is changed and no plan token is needed: restore checks
            // the same things a plan would, without reading the manifest and the target twice
            return restore(service, request);
        }
        RestorePlan plan = service.planRestore(request);
        if (planOnly()) {
            String next = nextCommand(plan);
            out().result(new Documents.Plan("planned", plan, next), planText(plan, next));
            return ExitCodes.OK;
        }
        if (!plan.destructive()) {
            return restore(service, request);
        }
        if (canAsk()) {
            out().note(HumanText.plan(plan));
            confirmAtTerminal(
                    service, plan.confirmation(), "the name of the database to overwrite", plan.targetDbname());
            return restore(service, request.withToken(plan.confirmation().token()));
        }
        String next = nextCommand(plan);
        out().result(new Documents.Plan("confirmation_required", plan, next), planText(plan, next));
        return ExitCodes.CONFIRMATION_REQUIRED;
    }

    private int restore(BackupService service, RestoreRequest request) {
        RestoreResult result = track(context -> service.restore(request, context));
        out().result(new Documents.Restored(result), HumanText.restored(result));
        return ExitCodes.OK;
    }

    private String planText(RestorePlan plan, String next) {
        if (plan.confirmation() == null) {
            return HumanText.plan(plan) + "\n\nnothing was changed. To run it:\n  " + next;
        }
        return HumanText.plan(plan) + "\n\n" + HumanText.confirmation(plan.confirmation(), next);
    }

    private String nextCommand(RestorePlan plan) {
        CommandText next = new CommandText("lifeboat", "restore", backupId)
                .option("--store", store.name())
                .option("--target", target)
                .option("--target-database", targetDbname)
                .flag("--clean", clean)
                .option("--jobs", jobs == null ? null : jobs.toString())
                .option(
                        "--confirm",
                        plan.confirmation() == null ? null : plan.confirmation().token());
        return withSharedOptions(next).toString();
    }

    private int restoreDirectory(BackupService service) {
        String path = targetDir.toAbsolutePath().normalize().toString();
        DirectoryRestoreRequest request = new DirectoryRestoreRequest(backupId, store.name(), path, token());
        if (token() != null) {
            return restoreDirectory(service, request);
        }
        DirectoryRestorePlan plan = service.planDirectoryRestore(request);
        String next = withSharedOptions(new CommandText("lifeboat", "restore", backupId)
                        .option("--store", store.name())
                        .option("--target-dir", path)
                        .option(
                                "--confirm",
                                plan.confirmation() == null
                                        ? null
                                        : plan.confirmation().token()))
                .toString();
        String text = HumanText.directoryPlan(plan) + "\n\n"
                + (plan.confirmation() == null
                        ? "nothing was changed. To run it:\n  " + next
                        : HumanText.confirmation(plan.confirmation(), next));
        if (planOnly()) {
            out().result(new Documents.Plan("planned", plan, next), text);
            return ExitCodes.OK;
        }
        if (!plan.destructive()) {
            return restoreDirectory(service, request);
        }
        if (canAsk()) {
            out().note(HumanText.directoryPlan(plan));
            confirmAtTerminal(service, plan.confirmation(), "the path of the directory to replace", path);
            return restoreDirectory(
                    service, request.withToken(plan.confirmation().token()));
        }
        out().result(new Documents.Plan("confirmation_required", plan, next), text);
        return ExitCodes.CONFIRMATION_REQUIRED;
    }

    private int restoreDirectory(BackupService service, DirectoryRestoreRequest request) {
        DirectoryRestoreResult result = track(context -> service.restoreDirectory(request, context));
        out().result(new Documents.DirectoryRestored(result), HumanText.directoryRestored(result));
        return ExitCodes.OK;
    }
}
