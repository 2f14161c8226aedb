package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.verify.VerificationReport;
import java.util.LinkedHashMap;
import java.util.Map;

/** A verification report as verify_backup and drill_backup return it, and its schema. */
final class Reports {
    private Reports() {}

    /** The report's fields, as output schema properties (drill_backup adds the drill record). */
    static Map<String, Object> properties() {
        return props(
                "backup_id", string(null),
                "store", string(null),
                "level", string(null),
                "passed", bool("Whether every check passed."),
                "checks",
                        array(
                                "Each check in the order it ran; details are data.",
                                object(
                                        props(
                                                "name", string(null),
                                                "passed", bool(null),
                                                "expected", string(null),
                                                "actual", string(null),
                                                "detail", string(null)),
                                        "name",
                                        "passed")),
                "started_at", string(null),
                "duration_millis", integer(null));
    }

    /** The report as structured content; the drill record, if any, under "drill". */
    static Map<String, Object> view(VerificationReport report) {
        return new LinkedHashMap<>(Json.object(report));
    }

    /** The report in words: the verdict and every failed check. */
    static String text(VerificationReport report) {
        long failed = report.checks().stream().filter(c -> !c.passed()).count();
        StringBuilder text = new StringBuilder((report.drill() != null ? "Restore drill of " : "Verification of ")
                + report.backupId() + " at level " + report.level().id() + ": "
                + (report.passed() ? "PASSED" : "FAILED") + " ("
                + report.checks().size() + " checks, " + failed
                + " failed).");
        for (VerificationReport.Check c : report.checks()) {
            if (!c.passed()) {
                text.append("\n- ")
                        .append(c.name())
                        .append(": expected ")
                        .append(Json.quote(c.expected()))
                        .append(", found ")
                        .append(Json.quote(c.actual()));
            }
        }
        return text.toString();
    }
}
