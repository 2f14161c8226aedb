package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Plan;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes shared by several tools. */
final class Views {
    private Views() {}

    static Map<String, Object> backup(BackupRecord record, boolean withTables) {
        Manifest m = record.manifest();
        Map<String, Object> raw = Json.object(m);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backup_id", raw.remove("id"));
        out.put("database", raw.remove("database"));
        out.put("store", record.store());
        raw.remove("format_version");
        if (!m.readable()) {
            out.put(
                    "note",
                    "written by a newer Lifeboat (" + m.toolVersion() + ", manifest format " + m.formatVersion()
                            + "); this server cannot verify, restore or copy it: upgrade Lifeboat");
        }
        Object tables = raw.remove("tables");
        out.putAll(raw);
        if (withTables) {
            out.put("tables", tables);
        } else {
            out.put("table_count", m.tables().size());
        }
        return out;
    }

    /** A set run: its id and each member's backup (as {@link #backup}) or error. */
    static Map<String, Object> setRun(dev.lifeboat.core.backup.SetRunResult run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("set", run.set());
        out.put("run", run.run());
        out.put("started_at", run.startedAt().toString());
        out.put("failed", run.failed());
        out.put("members", run.members().stream().map(Views::member).toList());
        return out;
    }

    private static Map<String, Object> member(dev.lifeboat.core.backup.SetRunResult.Member m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", m.name());
        v.put("kind", m.kind());
        if (m.backup() != null) {
            v.put("status", "created");
            v.put("backup", backup(m.backup(), false));
        } else {
            v.put("status", "failed");
            v.put("error", Json.fields("code", m.error().name(), "message", redact(m.message())));
        }
        return v;
    }

    /** A set run as listed: its backups (without tables) and the members it has no backup of. */
    static Map<String, Object> setListing(dev.lifeboat.core.backup.SetListing run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("set", run.set());
        out.put("run", run.run());
        out.put("created_at", run.createdAt().toString());
        out.put("backups", run.backups().stream().map(b -> backup(b, false)).toList());
        out.put("missing", run.missing());
        return out;
    }

    /**
     * The answer of a call that did what it was asked: its {@code status}, one more field ({@code key}:
     * {@code value}) and the summary {@code text} (redacted).
     */
    static ToolResult status(String status, String key, Object value, String text) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put(key, value);
        return new ToolResult(out, redact(text));
    }

    static Map<String, Object> confirmation(Confirmation c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plan_id", c.planId());
        out.put("token", c.token());
        out.put("expires_at", c.expiresAt().toString());
        out.put("operator_approval_required", c.operatorApproval());
        return out;
    }

    /**
     * The answer to a destructive call made without a token: nothing was done, here is the plan in
     * words, its single-use token, and what the model must do before calling again.
     *
     * @param notDone what did not happen, e.g. "nothing has been restored"
     */
    static ToolResult confirmationRequired(String tool, Plan plan, String notDone) {
        return confirmationRequired(tool, plan, notDone, plan(plan), plan.summary());
    }

    /** The same, with the plan shown as {@code view} and in words as {@code words} (a lean prune plan). */
    static ToolResult confirmationRequired(
            String tool, Plan plan, String notDone, Map<String, Object> view, String words) {
        String summary = words;
        Confirmation c = plan.confirmation();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "confirmation_required");
        out.put("plan", view);
        out.put("confirmation", confirmation(c));
        String instruction = instruction(tool, c);
        out.put("instruction", instruction);
        String text = "CONFIRMATION REQUIRED: " + notDone + ".\nPlan: " + summary + "\n" + instruction + "\nplan_id: "
                + c.planId() + "\nconfirm_token: " + c.token();
        // the person asked through the client reads the plan in these same words (a prune's removals by id)
        return new ToolResult(out, redact(text), words.equals(plan.summary()) ? plan : shownAs(plan, words));
    }

    /** {@code plan}, worded as {@code words}. */
    private static Plan shownAs(Plan plan, String words) {
        return new Plan() {
            @Override
            public String summary() {
                return words;
            }

            @Override
            public Confirmation confirmation() {
                return plan.confirmation();
            }
        };
    }

    /** A plan as shown to the model: its token travels separately, under "confirmation". */
    static Map<String, Object> plan(Object plan) {
        Map<String, Object> view = new LinkedHashMap<>(Json.object(plan));
        view.remove("confirmation");
        return view;
    }

    /** What the model must do with a confirmation; worded so it cannot be mistaken for a done deal. */
    static String instruction(String tool, Confirmation c) {
        String s = "Nothing has been changed yet. Show the plan above to the user, word for word, and ask them to"
                + " approve it. Only if the user explicitly approves, call " + tool + " again with the same"
                + " arguments plus confirm_token. Never approve on the user's behalf. The token expires at "
                + c.expiresAt() + " and works once.";
        if (c.operatorApproval()) {
            // how the operator approves is not the model's business: an agent with a shell must not be
            // handed the command that approves its own plan
            s += " This server also requires a person to approve plan " + c.planId() + " at a terminal before the"
                    + " token is accepted; you cannot do that for them: tell the user.";
        }
        return s;
    }

    static String size(long bytes) {
        return dev.lifeboat.core.base.ByteSizes.human(bytes);
    }

    static String redact(String s) {
        return Redactor.global().redact(s);
    }
}
