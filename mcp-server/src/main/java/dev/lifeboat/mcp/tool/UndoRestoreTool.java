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
        return McpSchema.Tool.builder()
                .name("undo_restore")
                .title("Undo a restore that replaced a database")
                .description("Puts back the database as it was before the last restore_backup with mode 'replace'"
                        + " (kept for the configured keep_previous, 24h by default). The database's current"
                        + " contents are kept in turn, so the undo can be undone. Connected sessions are ended"
                        + " at the swap. Without confirm_token it changes nothing and returns status"
                        + " 'confirmation_required' with the plan (which copy comes back, every kept copy and"
                        + " when it expires) and a single-use token; show the plan to the user and call again"
                        + " with the same arguments plus confirm_token only after the user explicitly approves."
                        + " Never approve on the user's behalf.")
                .inputSchema(input(
                        props(
                                "database",
                                        nameArg("The configured database whose last replacing restore is undone (see"
                                                + " list_databases)."),
                                "target_dbname",
                                        pattern(
                                                "The database name on that server, when the restore replaced another"
                                                        + " database than the configured one's own.",
                                                "^[A-Za-z_][A-Za-z0-9_$-]{0,62}$"),
                                "confirm_token", confirmTokenArg()),
                        "database"))
                .outputSchema(confirmedOutput(
                        "'confirmation_required': nothing was changed; 'undone': done.",
                        List.of("confirmation_required", "undone"),
                        "What the undo will do, including 'summary' in plain words.",
                        "result",
                        anyObject("The finished undo: which copy is the database again, and where the replaced"
                                + " contents are kept.")))
                .annotations(annotations("Undo a restore that replaced a database", false, true, false))
                .build();
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
