package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checks a backup's stored bytes (and archive) against its manifest. */
public final class VerifyBackupTool extends ServiceTool {
    public VerifyBackupTool(BackupService service) {
        super(service, Scope.READ);
    }

    @Override
    public McpSchema.Tool definition() {
        return McpSchema.Tool.builder()
                .name("verify_backup")
                .title("Verify a backup")
                .description(
                        "Checks a backup: 'checksum' (default) re-reads size and SHA-256; 'archive' also reads its contents; 'restore' also restores it into a scratch database and compares every table (needs backups:restore). A failure is a report with passed=false.")
                .inputSchema(input(
                        props(
                                "backup_id", backupIdArg("The backup's id, from list_backups."),
                                "store", storeArg(),
                                "level",
                                        enumOf(
                                                "Default 'checksum'; each level includes the ones before.",
                                                lower(VerifyLevel.values()))),
                        "backup_id"))
                .outputSchema(output(
                        props(
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
                                "duration_millis", integer(null)),
                        "backup_id",
                        "passed",
                        "checks"))
                // not read-only: level 'restore' creates and drops a scratch database and writes drill evidence
                .annotations(annotations("Verify a backup", false, false, true))
                .build();
    }

    @Override
    public Scope scope(Map<String, Object> arguments) {
        Object level = arguments == null ? null : arguments.get("level");
        return level instanceof String l && l.trim().equalsIgnoreCase(VerifyLevel.RESTORE.id())
                ? Scope.RESTORE
                : Scope.READ;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String id = arguments.backupId("backup_id");
        VerifyLevel level = VerifyLevel.parse(arguments.string("level"));
        context.log().info("verifying " + id + " at level " + level.id());
        VerificationReport report = service.verify(id, arguments.name("store"), level, context.operation());
        Map<String, Object> out = new LinkedHashMap<>(Json.object(report));
        long failed = report.checks().stream().filter(c -> !c.passed()).count();
        String text = "Verification of " + report.backupId() + " at level " + level.id() + ": "
                + (report.passed() ? "PASSED" : "FAILED") + " ("
                + report.checks().size() + " checks, " + failed
                + " failed).";
        for (VerificationReport.Check c : report.checks()) {
            if (!c.passed()) {
                text += "\n- " + c.name() + ": expected " + Json.quote(c.expected()) + ", found "
                        + Json.quote(c.actual());
            }
        }
        return new ToolResult(out, Views.redact(text));
    }
}
