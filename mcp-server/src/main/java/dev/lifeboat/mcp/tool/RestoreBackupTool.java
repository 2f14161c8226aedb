package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.restore.DirectoryRestorePlan;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.restore.Owners;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import dev.lifeboat.core.restore.Selection;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Restores a backup. A restore over an existing database is a two-step affair: the first call
 * returns the plan and a token, and only a second call carrying the token (after the user approved)
 * restores. A restore into a new database runs at once.
 */
public final class RestoreBackupTool extends ServiceTool {
    public RestoreBackupTool(BackupService service) {
        super(service, Scope.RESTORE);
    }

    @Override
    public McpSchema.Tool definition() {
        return McpSchema.Tool.builder()
                .name("restore_backup")
                .title("Restore a backup")
                .description(
                        "Restores a backup (bytes verified first). mode 'create' (default): into a new database (tables/schemas: only those). 'replace': over an existing one via a copy swapped in; the old one kept for undo_restore. 'clean': in place, after a safety backup. Directory backups: target_dir. Destructive ones (replace, clean, non-empty target_dir) answer 'confirmation_required' with a plan and token: show the user the plan, call again with confirm_token only after they approve.")
                .inputSchema(input(
                        props(
                                "backup_id", backupIdArg("The backup to restore, from list_backups."),
                                "store", storeArg(),
                                "target_server",
                                        nameArg(
                                                "Configured database whose server receives it (default: the backup's own)."),
                                "target_database", nameArg("Old name of target_server."),
                                "target_dbname",
                                        pattern(
                                                "Database name there (default: the configured one's).",
                                                "^[A-Za-z_][A-Za-z0-9_$-]{0,62}$"),
                                "mode", enumOf("See the description.", lower(RestoreMode.values())),
                                "jobs",
                                        integer(
                                                "Parallel pg_restore jobs (default: one per core).",
                                                1,
                                                LifeboatConfig.MAX_RESTORE_JOBS),
                                "tables", array("schema.table names (get_backup contents).", Map.of("type", "string")),
                                "schemas", array("Schema names.", Map.of("type", "string")),
                                "owners",
                                        enumOf(
                                                "keep (default; refused if roles are missing), login, create_roles (from the backup's).",
                                                List.of("keep", "login", "create_roles")),
                                "safety_backup", bool("Mode 'clean': back up first, for undo_restore (default true)."),
                                "target_dir",
                                        pattern("Directory backups: the absolute directory to extract into.", "^/.*"),
                                "confirm_token", confirmTokenArg()),
                        "backup_id"))
                .outputSchema(confirmedOutput(
                        "'confirmation_required': nothing was changed; 'restored': done.",
                        List.of("confirmation_required", "restored"),
                        "What the restore will do, including 'summary' in plain words.",
                        "result",
                        anyObject("The finished restore: target, bytes, sha256 verified, duration.")))
                .annotations(annotations("Restore a backup", false, true, false))
                .build();
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String targetDir = arguments.string("target_dir");
        if (targetDir != null) {
            if (targetServer(arguments) != null
                    || arguments.dbname("target_dbname") != null
                    || arguments.string("mode") != null
                    || !arguments.strings("tables").isEmpty()
                    || !arguments.strings("schemas").isEmpty()
                    || arguments.string("owners") != null) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "target_dir cannot be combined with target_server, target_dbname, mode, tables, schemas or owners",
                        "target_dir is for directory backups; the others for database backups");
            }
            return restoreDirectory(arguments, targetDir, context);
        }
        int jobs = arguments.integer("jobs", 0, 1, LifeboatConfig.MAX_RESTORE_JOBS); // 0: not given
        RestoreRequest request = new RestoreRequest(
                arguments.backupId("backup_id"),
                arguments.name("store"),
                targetServer(arguments),
                arguments.dbname("target_dbname"),
                mode(arguments.string("mode")),
                null,
                jobs == 0 ? null : jobs,
                !arguments.bool("safety_backup", true),
                Selection.of(arguments.strings("tables"), arguments.strings("schemas")),
                Owners.parse(arguments.string("owners")));
        String token = arguments.string("confirm_token");
        context.log().info("restore of " + request.backupId() + " requested");
        Outcome<RestorePlan, RestoreResult> outcome =
                service.requestRestore(token == null ? request : request.withToken(token), context.operation());
        if (outcome.confirmationRequired()) {
            return Views.confirmationRequired("restore_backup", outcome.plan(), "nothing has been restored");
        }
        RestoreResult result = outcome.result();
        String text = "Restored backup " + result.backupId() + " into database " + result.targetDbname() + " on "
                + result.targetServer() + " (mode " + result.mode().id() + ", "
                + result.jobs() + (result.jobs() == 1 ? " job, " : " jobs, ")
                + Views.size(result.bytes()) + ", sha256 verified, " + result.durationMillis() + " ms)."
                + (result.previous() == null || result.mode() != RestoreMode.CLEAN
                        ? ""
                        : " A safety backup of the database was taken first: " + result.previous()
                                + "; undo_restore puts it back.")
                + (result.previous() == null || result.mode() != RestoreMode.REPLACE
                        ? ""
                        : " The database it replaced is kept as " + result.previous() + " until "
                                + result.previousExpiresAt() + "; undo_restore puts it back.")
                + (result.sessionsEnded().isEmpty()
                        ? ""
                        : " " + result.sessionsEnded().size() + " connected session(s) were ended at the swap.")
                + (result.tables().isEmpty() ? "" : " Tables restored: " + String.join(", ", result.tables()) + ".")
                + (result.skipped().isEmpty() ? "" : " Not restored: " + String.join("; ", result.skipped()) + ".")
                + (result.notes().isEmpty() ? "" : " " + String.join(" ", result.notes()));
        return Views.status("restored", "result", Json.object(result), text);
    }

    private ToolResult restoreDirectory(Arguments arguments, String targetDir, ToolContext context) {
        DirectoryRestoreRequest request =
                new DirectoryRestoreRequest(arguments.backupId("backup_id"), arguments.name("store"), targetDir, null);
        String token = arguments.string("confirm_token");
        context.log().info("restore of " + request.backupId() + " into a directory requested");
        Outcome<DirectoryRestorePlan, DirectoryRestoreResult> outcome = service.requestDirectoryRestore(
                token == null ? request : request.withToken(token), context.operation());
        if (outcome.confirmationRequired()) {
            return Views.confirmationRequired("restore_backup", outcome.plan(), "nothing has been restored");
        }
        DirectoryRestoreResult result = outcome.result();
        String text = "Restored backup " + result.backupId() + " into directory " + result.targetDir()
                + (result.replaced() ? " (its previous contents were replaced)" : "") + ": " + result.files()
                + " files, " + Views.size(result.fileBytes()) + ", sha256 verified, " + result.durationMillis()
                + " ms.";
        return Views.status("restored", "result", Json.object(result), text);
    }

    /** target_server, or its deprecated first name target_database (kept for one release). */
    private static String targetServer(Arguments arguments) {
        String server = arguments.name("target_server");
        String legacy = arguments.name("target_database");
        if (server != null && legacy != null && !server.equals(legacy)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "target_database is the old name of target_server; they name different databases here",
                    "pass only target_server (the configured database whose server receives the restore) and"
                            + " target_dbname for the new database's name");
        }
        return server != null ? server : legacy;
    }

    private static RestoreMode mode(String text) {
        if (text == null) {
            return RestoreMode.CREATE;
        }
        try {
            return RestoreMode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "unknown restore mode '" + text + "'",
                    "use 'create' (into a new database), 'replace' (over an existing one, kept for undo) or"
                            + " 'clean' (over an existing one, in place)");
        }
    }
}
