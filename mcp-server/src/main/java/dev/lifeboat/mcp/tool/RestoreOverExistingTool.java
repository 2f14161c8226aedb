package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.restore.DirectoryRestorePlan;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Locale;

/**
 * Restores a backup over an existing database (mode 'replace': a restored copy swapped in, the old one
 * kept for undo_restore; mode 'clean': in place, after a safety backup), or a directory backup over a
 * non-empty directory. Destructive, so in two steps: the plan (confirmed by the person through the
 * client's form when it has one, otherwise returned with a token), then the restore.
 */
public final class RestoreOverExistingTool extends ServiceTool {
    /** The modes of this tool: those that act on an existing database. */
    private static final List<String> MODES = List.of(RestoreMode.REPLACE.id(), RestoreMode.CLEAN.id());

    public RestoreOverExistingTool(BackupService service) {
        super(service, Scope.RESTORE);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                Restores.OVER_EXISTING,
                "Restore over existing",
                "Restores over an existing database: 'replace' (default) swaps in a restored copy,"
                        + " keeping the old one for undo_restore; 'clean' restores in place after a safety backup."
                        + " Directory backups: target_dir, contents replaced. "
                        + Schema.CONFIRMED,
                input(
                        Restores.arguments(
                                "mode", enumOf("See the description.", MODES),
                                "safety_backup", bool("Mode 'clean': back up first (default true)."),
                                "target_dir", Restores.targetDirArgument("Absolute path."),
                                "confirm_token", confirmTokenArg()),
                        "backup_id"),
                confirmedOutput(
                        "'confirmation_required': nothing was changed; 'restored': done.",
                        List.of("confirmation_required", "restored"),
                        "What the restore will do, including 'summary' in plain words.",
                        "result",
                        Restores.result()),
                Hints.DESTRUCTIVE);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String targetDir = arguments.string("target_dir");
        if (targetDir != null) {
            Restores.requireOnlyDirectoryArguments(arguments, "mode", "safety_backup");
            return restoreDirectory(arguments, targetDir, context);
        }
        RestoreRequest request =
                Restores.request(arguments, mode(arguments.string("mode")), !arguments.bool("safety_backup", true));
        String token = arguments.string("confirm_token");
        context.log().info("restore of " + request.backupId() + " over a database requested");
        Outcome<RestorePlan, RestoreResult> outcome =
                service.requestRestore(token == null ? request : request.withToken(token), context.operation());
        if (outcome.confirmationRequired()) {
            return Views.confirmationRequired(Restores.OVER_EXISTING, outcome.plan(), "nothing has been restored");
        }
        return Restores.restored(outcome.result());
    }

    private ToolResult restoreDirectory(Arguments arguments, String targetDir, ToolContext context) {
        DirectoryRestoreRequest request = Restores.directoryRequest(arguments, targetDir);
        String token = arguments.string("confirm_token");
        context.log().info("restore of " + request.backupId() + " over a directory requested");
        Outcome<DirectoryRestorePlan, DirectoryRestoreResult> outcome = service.requestDirectoryRestore(
                token == null ? request : request.withToken(token), context.operation());
        if (outcome.confirmationRequired()) {
            return Views.confirmationRequired(Restores.OVER_EXISTING, outcome.plan(), "nothing has been restored");
        }
        return Restores.restored(outcome.result());
    }

    private static RestoreMode mode(String text) {
        if (text == null) {
            return RestoreMode.REPLACE;
        }
        String id = text.toLowerCase(Locale.ROOT);
        if (!MODES.contains(id)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "unknown mode '" + text + "' for " + Restores.OVER_EXISTING,
                    "use 'replace' (a restored copy swapped in, the old one kept for undo_restore) or 'clean' (in"
                            + " place); into a new database, use restore_backup");
        }
        return RestoreMode.valueOf(id.toUpperCase(Locale.ROOT));
    }
}
