package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.health.HealthReport;
import dev.lifeboat.core.health.NextStep;
import dev.lifeboat.core.health.Problem;
import dev.lifeboat.core.health.SourceHealth;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Are the backups healthy against their objectives? The answer of {@code lifeboat status}, with each
 * next step spelled as the tool call that takes it.
 */
public final class BackupStatusTool extends ServiceTool {
    private static final List<String> STATES = List.of("OK", "LATE", "FAILING", "NEVER");

    public BackupStatusTool(BackupService service) {
        super(service, Scope.READ);
    }

    @Override
    public McpSchema.Tool definition() {
        Map<String, Object> next = object(props(
                "action",
                        string("What to do: create_backup, fix_and_create_backup, verify_restore, copy_backup,"
                                + " add_store or fix_store."),
                "tool", string("The tool that takes the step, when one does."),
                "arguments", anyObject("Its arguments."),
                "why",
                        string("What to check or change first, in words; for the user when it is outside"
                                + " Lifeboat (a password, a server, a store's credentials).")));
        Map<String, Object> source = object(
                props(
                        "name", string("The configured name."),
                        "kind", enumOf(null, List.of("database", "directory", "set")),
                        "state",
                                enumOf(
                                        "OK, LATE (an objective is missed), FAILING (the last backup failed) or"
                                                + " NEVER (no backup).",
                                        STATES),
                        "objectives",
                                object(props(
                                        "rpo", string("The newest backup must be younger, e.g. 26h."),
                                        "drill_every", string("A restore drill must pass this often, e.g. 7d."),
                                        "copies", integer("How many stores must hold the newest backup."))),
                        "backups", integer("Committed backups in all stores."),
                        "newest",
                                object(props(
                                        "backup_id", string(null),
                                        "store", string(null),
                                        "created_at", string(null),
                                        "age_seconds", integer(null),
                                        "size_bytes", integer(null),
                                        "duration_millis", integer(null))),
                        "copies", array("Stores holding the newest backup.", string(null)),
                        "last_attempt", string(null),
                        "last_failure",
                                object(props(
                                        "time", string(null),
                                        "backup_id", string(null),
                                        "store", string(null),
                                        "error_code", string(null),
                                        "message", string(null))),
                        "newest_drill",
                                object(props(
                                        "backup_id", string(null),
                                        "store", string(null),
                                        "started_at", string(null),
                                        "result", string("PASS or FAIL."),
                                        "error", string(null))),
                        "newest_passing_drill", string(null),
                        "members",
                                array(
                                        "A set's members.",
                                        object(props("name", string(null), "state", enumOf(null, STATES)))),
                        "problems",
                                array(
                                        "What is wrong, each with its next step.",
                                        object(props(
                                                "check", string("failure, never, rpo, drill_every or copies."),
                                                "message", string(null),
                                                "next", next)))),
                "name",
                "state");
        return tool(
                "backup_status",
                "Backup health",
                "Per database, directory and set: OK, LATE (rpo, drill_every or copies missed),"
                        + " FAILING or NEVER, with facts and next steps. Works with databases down.",
                input(props()),
                output(
                        props(
                                "checked_at", string(null),
                                "healthy", bool("Whether everything is OK and every store could be read."),
                                "sources", array("Databases and directories.", source),
                                "sets", array("Sets: as bad as their worst member.", source),
                                "stores",
                                        array(
                                                null,
                                                object(props(
                                                        "name", string(null),
                                                        "backups", integer(null),
                                                        "error", string("Why it could not be read."),
                                                        "next", next)))),
                        "checked_at",
                        "healthy",
                        "sources",
                        "sets",
                        "stores"),
                Hints.READ_ONLY);
    }

    /** The report this tool answers from, for the server's {@code /metrics}. */
    public HealthReport report() {
        return service.status();
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        HealthReport r = service.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checked_at", r.checkedAt().toString());
        out.put("healthy", r.healthy());
        out.put("sources", r.sources().stream().map(BackupStatusTool::source).toList());
        out.put("sets", r.sets().stream().map(BackupStatusTool::source).toList());
        out.put("stores", r.stores().stream().map(BackupStatusTool::store).toList());
        return new ToolResult(out, Views.redact(text(r)));
    }

    private static Map<String, Object> store(HealthReport.StoreHealth st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", st.name());
        m.put("backups", st.backups());
        if (st.error() != null) {
            m.put("error", st.error());
            m.put("next", next(st.next()));
        }
        return m;
    }

    private static Map<String, Object> source(SourceHealth s) {
        Map<String, Object> m = Json.object(s);
        List<Object> problems = new ArrayList<>();
        for (Problem p : s.problems()) {
            problems.add(Json.fields("check", p.check(), "message", p.message(), "next", next(p.next())));
        }
        m.put("problems", problems);
        return m;
    }

    /** The next step as this face takes it: a tool call where one exists. */
    static Map<String, Object> next(NextStep n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", n.action().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> args = new LinkedHashMap<>();
        switch (n.action()) {
            case CREATE_BACKUP, FIX_AND_CREATE_BACKUP -> {
                m.put("tool", "create_backup");
                args.put("database", n.source());
            }
            case VERIFY_RESTORE -> {
                m.put("tool", "drill_backup");
                args.put("backup_id", n.backupId());
                args.put("store", n.store());
            }
            case COPY_BACKUP -> {
                m.put("tool", "copy_backup");
                args.put("backup_id", n.backupId());
                args.put("to_store", n.store());
            }
            case ADD_STORE, FIX_STORE -> {
                // outside Lifeboat's tools: the user changes the configuration or the store
            }
        }
        if (m.containsKey("tool")) {
            m.put("arguments", args);
        }
        m.put("why", n.why());
        return m;
    }

    private static String text(HealthReport r) {
        StringBuilder b = new StringBuilder(r.healthy() ? "All backups are healthy." : "Backups need attention.");
        for (SourceHealth s : r.sources()) {
            b.append("\n")
                    .append(s.kind())
                    .append(" ")
                    .append(s.name())
                    .append(": ")
                    .append(s.state());
            if (s.newest() != null) {
                b.append(", newest ")
                        .append(s.newest().backupId())
                        .append(" (")
                        .append(Math.round(s.newest().ageSeconds() / 3600.0))
                        .append(" h old)");
            }
            for (Problem p : s.problems()) {
                Map<String, Object> n = next(p.next());
                b.append("\n  - ").append(p.message()).append("\n    next: ");
                if (n.containsKey("tool")) {
                    b.append(n.get("tool")).append(" ").append(Json.write(n.get("arguments")));
                    if (p.next().action() == NextStep.Action.FIX_AND_CREATE_BACKUP) {
                        b.append(" after: ");
                    } else {
                        b.append(" - ");
                    }
                }
                b.append(p.next().why());
            }
        }
        for (SourceHealth s : r.sets()) {
            b.append("\nset ").append(s.name()).append(": ").append(s.state());
        }
        for (HealthReport.StoreHealth st : r.stores()) {
            if (st.error() != null) {
                b.append("\nstore ").append(st.name()).append(" unreadable: ").append(st.error());
            }
        }
        return b.toString();
    }
}
