package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.manage.PrunePlan;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Applies retention policies: a dry run that returns a token, then removal with the token. */
public final class PruneBackupsTool extends ServiceTool {
    public PruneBackupsTool(BackupService service) {
        super(service, Scope.DELETE);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "prune_backups",
                "Prune backups",
                "Removes backups the retention policies no longer keep (the newest drilled one stays); sources without a policy are skipped. "
                        + CONFIRMED,
                input(props(
                        "database", nameArg("Only this database (default: all)."),
                        "store", storeArg(),
                        "confirm_token", confirmTokenArg())),
                confirmedOutput(
                        "'confirmation_required' or 'nothing_to_prune': nothing was removed; 'pruned': done.",
                        List.of("confirmation_required", "nothing_to_prune", "pruned"),
                        "summary, remove_count, remove_bytes, sources_without_policy, and per store and database"
                                + " with a policy: policy, kept (a count) and remove (id, created_at, size, label)."),
                Hints.DESTRUCTIVE);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String database = arguments.name("database");
        String store = arguments.name("store");
        String token = arguments.string("confirm_token");
        Outcome<PrunePlan, PrunePlan> outcome = service.requestPrune(database, store, token, context.operation());
        if (outcome.confirmationRequired()) {
            PrunePlan plan = outcome.plan();
            return Views.confirmationRequired(
                    "prune_backups", plan, "nothing has been removed", lean(plan), words(plan));
        }
        PrunePlan done = outcome.result();
        if (token == null) {
            return Views.status("nothing_to_prune", "plan", lean(done), words(done));
        }
        return Views.status("pruned", "plan", lean(done), "Pruned: " + words(done));
    }

    /**
     * The plan as the model gets it: what goes, each by id and label, and only how many stay, for the
     * sources that have a policy. A dry run's size follows what it removes: the survivors (hundreds,
     * with the rules that keep each) and the sources without a policy are counted, not listed.
     */
    private static Map<String, Object> removal(PrunePlan.Removal r) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("backup_id", r.backupId());
        e.put("created_at", r.createdAt().toString());
        e.put("size_bytes", r.sizeBytes());
        if (r.label() != null) {
            e.put("label", r.label());
        }
        return e;
    }

    private static Map<String, Object> expiredCopy(PrunePlan.ExpiredCopy c) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", c.name());
        e.put("target", c.target());
        e.put("server", c.server());
        e.put("expired_at", c.expiredAt().toString());
        if (c.keptTables()) {
            e.put("kept_tables", true);
        }
        return e;
    }

    static Map<String, Object> lean(PrunePlan plan) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("summary", plan.summary());
        out.put("remove_count", plan.removeCount());
        out.put("remove_bytes", plan.removeBytes());
        List<Map<String, Object>> groups = new ArrayList<>();
        int withoutPolicy = 0;
        for (PrunePlan.Group g : plan.groups()) {
            if (!g.hasPolicy()) {
                withoutPolicy++;
                continue;
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("store", g.store());
            v.put("database", g.database());
            v.put("policy", g.policy());
            v.put("kept", g.keep().size());
            v.put("remove", g.remove().stream().map(PruneBackupsTool::removal).toList());
            groups.add(v);
        }
        out.put("groups", groups);
        out.put("sources_without_policy", withoutPolicy);
        if (!plan.expiredCopies().isEmpty()) {
            out.put(
                    "expired_copies",
                    plan.expiredCopies().stream()
                            .map(PruneBackupsTool::expiredCopy)
                            .toList());
        }
        return out;
    }

    /** The plan in words, with every backup it removes named (the plan shown to the user word for word). */
    static String words(PrunePlan plan) {
        StringBuilder b = new StringBuilder(plan.summary());
        for (PrunePlan.Group g : plan.groups()) {
            if (!g.hasPolicy()) {
                continue;
            }
            b.append("\n" + g.database() + " in store " + g.store() + " (" + g.policy() + "): keeps "
                    + g.keep().size());
            if (!g.remove().isEmpty()) {
                b.append(", removes ").append(g.remove().size()).append(':');
                for (PrunePlan.Removal r : g.remove()) {
                    b.append("\n- ").append(r.backupId()).append(' ').append(Views.size(r.sizeBytes()));
                    if (r.label() != null) {
                        b.append(' ').append(Json.quote(r.label()));
                    }
                }
            }
        }
        for (PrunePlan.ExpiredCopy c : plan.expiredCopies()) {
            b.append(
                    c.keptTables()
                            ? "\n- drop schema " + c.name() + " in " + c.target()
                                    + " (tables a selective restore replaced)"
                            : "\n- drop " + c.name() + " (kept for undo of " + c.target() + ")");
        }
        return b.toString();
    }
}
