package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.restore.UndoPlan;
import dev.lifeboat.core.restore.UndoRequest;
import dev.lifeboat.core.restore.UndoResult;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;

/**
 * Undoes the last restore that replaced a database (mode 'replace'): the copy it kept takes the
 * database's place again. Destructive, so in two steps: plan and token, then undo with the token.
 */
public final class UndoRestoreTool extends ServiceTool {
    public UndoRestoreTool(BackupService service) {
        super(service, Scope.RESTORE);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "undo_restore",
                "Undo a restore",
                "Undoes a database's last 'replace' or 'clean' restore (within keep_previous); what it holds now is kept in turn. "
                        + CONFIRMED,
                input(
                        props(
                                "database", nameArg("Configured database."),
                                "target_dbname",
                                        pattern("Other name on its server.", "^[A-Za-z_][A-Za-z0-9_$-]{0,62}$"),
                                "confirm_token", confirmTokenArg()),
                        "database"),
                confirmedOutput(
                        "'confirmation_required': nothing was changed; 'undone': done.",
                        List.of("confirmation_required", "undone"),
                        "What the undo will do, including 'summary' in plain words.",
                        "result",
                        anyObject("The finished undo: which copy is the database again, and where the replaced"
                                + " contents are kept.")),
                Hints.DESTRUCTIVE);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        UndoRequest request = new UndoRequest(arguments.name("database"), arguments.dbname("target_dbname"), null);
        String token = arguments.string("confirm_token");
        context.log().info("undo of the last restore into " + request.database() + " requested");
        Outcome<UndoPlan, UndoResult> outcome =
                service.requestUndo(token == null ? request : request.withToken(token), context.operation());
        if (outcome.confirmationRequired()) {
            return Views.confirmationRequired("undo_restore", outcome.plan(), "nothing has been changed");
        }
        UndoResult result = outcome.result();
        String text = "Undone: " + result.targetDbname() + " on " + result.server() + " is again the database kept"
                + " as " + result.restoredFrom() + ". What it held before the undo is kept as " + result.currentKeptAs()
                + " until " + result.currentExpiresAt() + "."
                + (result.sessionsEnded().isEmpty()
                        ? ""
                        : " " + result.sessionsEnded().size() + " connected session(s) were ended at the swap.");
        return Views.status("undone", "result", Json.object(result), text);
    }
}
