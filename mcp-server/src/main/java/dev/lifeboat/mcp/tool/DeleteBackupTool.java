package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.manage.DeletePlan;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;

/** Deletes a backup, always in two steps: plan and token, then delete with the token. */
public final class DeleteBackupTool extends ServiceTool {
    public DeleteBackupTool(BackupService service) {
        super(service, Scope.DELETE);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "delete_backup",
                "Delete a backup",
                "Deletes one backup from its store, for good; touches no database. " + CONFIRMED,
                input(
                        props(
                                "backup_id", backupIdArg("From list_backups."),
                                "store", storeArg(),
                                "confirm_token", confirmTokenArg(),
                                "allow_last", bool("Also delete what the plan marks CAUTION, if the user agreed.")),
                        "backup_id"),
                confirmedOutput(
                        "'confirmation_required': nothing was deleted; 'deleted': done.",
                        List.of("confirmation_required", "deleted"),
                        "What will be deleted, including 'summary' in plain words.",
                        "backup",
                        backup(false)),
                Hints.DESTRUCTIVE);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String id = arguments.backupId("backup_id");
        String store = arguments.name("store");
        String token = arguments.string("confirm_token");
        boolean allowLast = arguments.bool("allow_last", false);
        Outcome<DeletePlan, BackupRecord> outcome =
                service.requestDelete(id, store, token, allowLast, context.operation());
        if (outcome.confirmationRequired()) {
            return Views.confirmationRequired("delete_backup", outcome.plan(), "nothing has been deleted");
        }
        BackupRecord deleted = outcome.result();
        return Views.status(
                "deleted",
                "backup",
                Views.backup(deleted, false),
                "Deleted backup " + deleted.manifest().id() + " from store " + deleted.store() + ".");
    }
}
