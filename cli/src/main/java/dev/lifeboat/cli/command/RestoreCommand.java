package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.PlanText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.restore.DirectoryRestorePlan;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.Owners;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat restore <id>}. */
@Command(
        name = "restore",
        subcommands = {RestoreUndoCommand.class, RestoreKeptCommand.class},
        description = {
            "Restore a backup into a new database, or over an existing one with --replace (restored beside it and"
                    + " swapped in, the old database kept for 'restore undo') or --clean (in place, no undo).",
            "With --table or --schema (repeatable) only those come back, each whole, into a new database.",
            "A directory backup is restored with --target-dir PATH: into a missing or empty directory at once, or"
                    + " replacing a non-empty directory's contents (destructive: needs a token or typing the path).",
            "The stored bytes are verified against the manifest before pg_restore touches the target.",
            "Restoring over an existing database (--replace or --clean) is destructive: it needs --confirm TOKEN from a"
                    + " --plan run,"
                    + " or, at a terminal, typing the target database name."
        })
public final class RestoreCommand extends DestructiveCommand {
    // optional for picocli so that 'restore undo' and 'restore kept' parse; required by run()
    @Parameters(index = "0", arity = "0..1", paramLabel = "BACKUP_ID", description = "The backup to restore.")
    String backupId;

    @Mixin
    StoreOption store;

    // the same two words as the MCP tool's target_server and target_dbname; --target and
    // --target-database are the names of the first release, still accepted
    @Option(
            names = {"--target-server", "--target"},
            paramLabel = "DATABASE",
            description = "The configured database whose server receives the restore (default: the one backed up)."
                    + " --target is its old name.")
    String target;

    @Option(
            names = {"--target-dbname", "--target-database"},
            paramLabel = "NAME",
            description = "The database name on that server (default: the configured database's own dbname)."
                    + " --target-database is its old name.")
    String targetDbname;

    @Option(
            names = "--target-dir",
            paramLabel = "PATH",
            description = "For a directory backup: the directory to extract into. Missing or empty: created/filled;"
                    + " not empty: its contents are replaced (destructive).")
    java.nio.file.Path targetDir;

    @Option(
            names = "--replace",
            description = "Restore over the existing database by restoring into a new database beside it and swapping"
                    + " the names: the result is exactly the backup, connected sessions are ended at the swap, and the"
                    + " old database is kept (keep_previous, default 24h) for 'lifeboat restore undo' (destructive).")
    boolean replace;

    @Option(
            names = "--clean",
            description = "Restore over the existing database in place: drop and recreate the backup's objects in one"
                    + " transaction; objects the backup lacks survive and there is no undo (destructive). Prefer"
                    + " --replace; use this when the login may not create databases.")
    boolean clean;

    @Option(
            names = "--no-safety-backup",
            description = "With --clean: do not take the safety backup of the database before restoring over it"
                    + " (faster, but the restore cannot be undone).")
    boolean noSafetyBackup;

    @Option(
            names = "--jobs",
            paramLabel = "N",
            description =
                    "Parallel pg_restore jobs for a restore into a new database or with --replace (default: the configured"
                            + " restore_jobs, else one per core). A --clean restore always runs one job, in one transaction.")
    Integer jobs;

    @Mixin
    SelectionOptions selection;

    @Option(
            names = "--no-owner",
            description = "Give every restored object to the restoring login instead of its owner in the backup"
                    + " (grants naming roles missing on the server are left out, and the result says so).")
    boolean noOwner;

    @Option(
            names = "--create-roles",
            description = "Create the roles the backup's objects need and the server lacks, from those kept with"
                    + " the backup (globals: roles), without passwords; owners and grants are kept. Needs a"
                    + " superuser login. A failed restore drops them again.")
    boolean createRoles;

    @Override
    protected java.util.List<Class<?>> jsonDocuments() {
        return targetDir != null
                ? java.util.List.of(Documents.DirectoryRestored.class, DirectoryRestorePlan.class)
                : java.util.List.of(Documents.Restored.class, RestorePlan.class);
    }

    @Override
    protected int run(BackupService service) {
        if (backupId == null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "Missing required parameter: 'BACKUP_ID' (or a subcommand: undo, kept)");
        }
        if (noSafetyBackup && !clean) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--no-safety-backup goes with --clean (a --replace keeps the old database)");
        }
        if (replace && clean) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--replace and --clean are two ways to restore over a database: choose one");
        }
        if (noOwner && createRoles) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--no-owner gives everything to the restoring login, --create-roles keeps the owners: choose one");
        }
        if (targetDir != null) {
            if (clean
                    || replace
                    || target != null
                    || targetDbname != null
                    || selection.any()
                    || noOwner
                    || createRoles) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--target-dir cannot be combined with --replace, --clean, --target-server, --target-dbname,"
                                + " --table, --schema, --no-owner or --create-roles");
            }
            return restoreDirectory(service);
        }
        RestoreRequest request = new RestoreRequest(
                backupId,
                store.name(),
                target,
                targetDbname,
                replace ? RestoreMode.REPLACE : clean ? RestoreMode.CLEAN : RestoreMode.CREATE,
                null,
                jobs,
                noSafetyBackup,
                selection.selection(),
                noOwner ? Owners.LOGIN : createRoles ? Owners.CREATE_ROLES : Owners.KEEP);
        if (planOnly()) {
            RestorePlan plan = service.planRestore(request);
            showPlan("planned", plan, PlanText.plan(plan), nextCommand(plan));
            return ExitCodes.OK;
        }
        return confirmed(
                service,
                token -> track(context -> service.requestRestore(request.withToken(token), context)),
                PlanText::plan,
                this::nextCommand,
                "the name of the database to overwrite",
                RestorePlan::targetDbname,
                result -> out().result(new Documents.Restored(result), PlanText.restored(result)));
    }

    private String nextCommand(RestorePlan plan) {
        CommandText next = new CommandText("lifeboat", "restore", backupId)
                .option("--store", store.name())
                .option("--target-server", target)
                .option("--target-dbname", targetDbname)
                .flag("--replace", replace)
                .flag("--clean", clean)
                .flag("--no-safety-backup", noSafetyBackup)
                .option("--jobs", jobs == null ? null : jobs.toString())
                .options("--table", selection.tables)
                .options("--schema", selection.schemas)
                .flag("--no-owner", noOwner)
                .flag("--create-roles", createRoles)
                .option(
                        "--confirm",
                        plan.confirmation() == null ? null : plan.confirmation().token());
        return withSharedOptions(next).toString();
    }

    private int restoreDirectory(BackupService service) {
        String path = targetDir.toAbsolutePath().normalize().toString();
        DirectoryRestoreRequest request = new DirectoryRestoreRequest(backupId, store.name(), path, null);
        if (planOnly()) {
            DirectoryRestorePlan plan = service.planDirectoryRestore(request);
            showPlan("planned", plan, PlanText.directoryPlan(plan), nextDirectoryCommand(path, plan));
            return ExitCodes.OK;
        }
        return confirmed(
                service,
                token -> track(context -> service.requestDirectoryRestore(request.withToken(token), context)),
                PlanText::directoryPlan,
                plan -> nextDirectoryCommand(path, plan),
                "the path of the directory to replace",
                DirectoryRestorePlan::targetDir,
                result -> out().result(new Documents.DirectoryRestored(result), PlanText.directoryRestored(result)));
    }

    private String nextDirectoryCommand(String path, DirectoryRestorePlan plan) {
        return withSharedOptions(new CommandText("lifeboat", "restore", backupId)
                        .option("--store", store.name())
                        .option("--target-dir", path)
                        .option(
                                "--confirm",
                                plan.confirmation() == null
                                        ? null
                                        : plan.confirmation().token()))
                .toString();
    }
}
