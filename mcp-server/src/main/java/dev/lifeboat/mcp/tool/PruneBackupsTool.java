package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.manage.PrunePlan;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;

/** Applies retention policies: a dry run that returns a token, then removal with the token. */
public final class PruneBackupsTool extends ServiceTool {
    public PruneBackupsTool(BackupService service) {
        super(service, Scope.DELETE);
    }

    @Override
    public McpSchema.Tool definition() {
        return McpSchema.Tool.builder()
                .name("prune_backups")
                .title("Prune old backups by retention policy")
                .description("Applies each database's configured retention policy (keep_last, keep_daily,"
                        + " keep_weekly, keep_monthly, keep_yearly, keep_within). Without confirm_token it removes"
                        + " nothing: it returns what would be removed, which rule keeps each survivor, and a"
                        + " single-use token (status 'confirmation_required', or 'nothing_to_prune'). Show the plan"
                        + " to the user and call again with the same arguments plus confirm_token only after the"
                        + " user explicitly approves; never approve on the user's behalf. The newest backup with a"
                        + " passing restore drill is always kept, and databases without a policy are never pruned."
                        + " The policy itself comes from the configuration and cannot be given here.")
                .inputSchema(input(props(
                        "database", nameArg("Only this configured database (default: all)."),
                        "store", storeArg(),
                        "confirm_token", confirmTokenArg())))
                .outputSchema(confirmedOutput(
                        "'confirmation_required' or 'nothing_to_prune': nothing was removed; 'pruned': done.",
                        List.of("confirmation_required", "nothing_to_prune", "pruned"),
                        "Per store and database: the policy, the survivors with the rules that keep them, and the"
                                + " removals; 'summary' in plain words."))
                .annotations(annotations("Prune old backups", false, true, false))
                .build();
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String database = arguments.name("database");
        String store = arguments.name("store");
        String token = arguments.string("confirm_token");
        Outcome<PrunePlan, PrunePlan> outcome = service.requestPrune(database, store, token, context.operation());
        if (outcome.confirmationRequired()) {
            return Views.confirmationRequired("prune_backups", outcome.plan(), "nothing has been removed");
        }
        PrunePlan done = outcome.result();
        if (token == null) {
            return Views.status("nothing_to_prune", "plan", Views.plan(done), done.summary());
        }
        return Views.status("pruned", "plan", Json.object(done), "Pruned: " + done.summary());
    }
}
