package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;

/**
 * Restores a backup where nothing exists yet: into a new database (the whole backup, or only some
 * tables or schemas), or a directory backup into a missing or empty directory. It never overwrites
 * anything, so it needs no confirmation: an existing target is refused with ALREADY_EXISTS naming
 * {@link RestoreOverExistingTool}, which restores over one after the user confirmed its plan.
 */
public final class RestoreBackupTool extends ServiceTool {
    public RestoreBackupTool(BackupService service) {
        super(service, Scope.RESTORE);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "restore_backup",
                "Restore a backup",
                "Restores a backup, overwriting nothing: into a new database (tables/schemas: only"
                        + " those), or a directory backup into a missing or empty target_dir. Over an existing"
                        + " target: " + Restores.OVER_EXISTING + ".",
                input(
                        Restores.arguments(
                                "target_database", nameArg("Old name of target_server."),
                                "target_dir", Restores.targetDirArgument("Absolute path.")),
                        "backup_id"),
                output(
                        props("status", enumOf("'restored': done.", List.of("restored")), "result", Restores.result()),
                        "status"),
                Hints.ADDITIVE);
    }

    /** A call made before the split: a mode, a safety backup or a token belong to restore_over_existing. */
    @Override
    public String movedTo(java.util.Map<String, Object> arguments) {
        return arguments != null
                        && java.util.stream.Stream.of("mode", "safety_backup", "confirm_token")
                                .anyMatch(arguments::containsKey)
                ? "restore_backup only restores into a new database or an empty target_dir; over an existing one,"
                        + " call " + Restores.OVER_EXISTING + " with the same arguments (mode \"replace\" or"
                        + " \"clean\"); into a new database, leave out mode"
                : null;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String targetDir = arguments.string("target_dir");
        if (targetDir != null) {
            Restores.requireOnlyDirectoryArguments(arguments);
            return restoreDirectory(arguments, targetDir, context);
        }
        RestoreRequest request = Restores.request(arguments, RestoreMode.CREATE, false);
        context.log().info("restore of " + request.backupId() + " into a new database requested");
        // mode create refuses an existing target (ALREADY_EXISTS, its hint naming restore_over_existing)
        Outcome<RestorePlan, RestoreResult> outcome = service.requestRestore(request, context.operation());
        if (outcome.confirmationRequired()) {
            // cannot happen for mode create; refused rather than answered with a token this tool does not take
            throw new LifeboatException(
                    ErrorCode.ALREADY_EXISTS,
                    "restoring " + request.backupId() + " would change an existing database; nothing was changed",
                    "restore into a new target_dbname, or over the existing one with " + Restores.OVER_EXISTING);
        }
        return Restores.restored(outcome.result());
    }

    private ToolResult restoreDirectory(Arguments arguments, String targetDir, ToolContext context) {
        DirectoryRestoreRequest request = Restores.directoryRequest(arguments, targetDir);
        context.log().info("restore of " + request.backupId() + " into a directory requested");
        DirectoryRestoreResult result;
        try {
            // without a token the core restores only into a missing or empty directory; no plan is made
            result = service.restoreDirectory(request, context.operation());
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.CONFIRMATION_REQUIRED) {
                throw e;
            }
            throw new LifeboatException(
                    ErrorCode.ALREADY_EXISTS,
                    "target_dir " + targetDir + " is not empty, and restore_backup never replaces anything;"
                            + " nothing was changed",
                    "restore into a missing or empty target_dir, or replace its contents with "
                            + Restores.OVER_EXISTING + " (the same backup_id and target_dir; destructive, the user"
                            + " confirms its plan first)",
                    e);
        }
        return Restores.restored(result);
    }
}
