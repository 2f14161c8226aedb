package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.HumanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.RestoreMode;
import dev.lifeboat.core.RestorePlan;
import dev.lifeboat.core.RestoreRequest;
import dev.lifeboat.core.RestoreResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat restore <id>}. */
@Command(
        name = "restore",
        description = {
            "Restore a backup into a new database, or over an existing one with --clean.",
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
        RestoreRequest request = new RestoreRequest(
                backupId,
                store.name(),
                target,
                targetDbname,
                clean ? RestoreMode.CLEAN : RestoreMode.CREATE,
                token(),
                jobs);
        if (token() != null) {
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
}
