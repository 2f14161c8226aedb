package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.restore.Selection;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * A restore drill: the backup is verified, restored into a scratch database (a directory backup into
 * a scratch directory), compared table by table and dropped, and the evidence (the drill record) is
 * stored beside the backup and returned. Neither read-only (it creates and drops a scratch database and
 * writes the record) nor destructive (it changes nothing that existed).
 */
public final class DrillBackupTool extends ServiceTool {
    public DrillBackupTool(BackupService service) {
        super(service, Scope.RESTORE);
    }

    @Override
    public McpSchema.Tool definition() {
        Map<String, Object> properties = Reports.properties();
        properties.put("drill", drill());
        return tool(
                "drill_backup",
                "Drill a backup",
                "Restores a backup into a scratch database (or directory), compares every table"
                        + " (tables: only those), drops it; stores and returns the drill record. Failed: passed=false.",
                input(
                        props(
                                "backup_id", backupIdArg("From list_backups."),
                                "store", storeArg(),
                                "tables", array("Only these schema.tables.", Map.of("type", "string"))),
                        "backup_id"),
                output(properties, "backup_id", "passed", "checks"),
                Hints.ADDITIVE);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String id = arguments.backupId("backup_id");
        Selection selection = Selection.of(arguments.strings("tables"), List.of());
        context.log().info("restore drill of " + id + " requested");
        VerificationReport report =
                service.verify(id, arguments.name("store"), VerifyLevel.RESTORE, selection, context.operation());
        return new ToolResult(Reports.view(report), Views.redact(Reports.text(report)));
    }

    /** The drill record as stored beside the backup. */
    private static Map<String, Object> drill() {
        Map<String, Object> record = object(
                props(
                        "result", enumOf("The verdict.", List.of("PASS", "FAIL")),
                        "scratch_database", string("Where it restored (a database, or a directory's path)."),
                        "scratch_dropped", bool(null),
                        "row_count_source", string(null),
                        "tables", array("Each table compared: rows and digests.", anyObject(null)),
                        "mismatches", array("Every difference found.", Map.of("type", "string")),
                        "error", string("Why the drill could not complete."),
                        "selection", array("The tables a selective drill compared.", Map.of("type", "string")),
                        "finished_at", string(null),
                        "performed_by", string(null)),
                "result");
        record.put("title", "The drill record");
        return record;
    }
}
