package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * Checks a backup's stored bytes (and archive) against its manifest. Read-only: it reads the store and
 * writes nothing but the audit line; a restore drill is {@link DrillBackupTool}'s.
 */
public final class VerifyBackupTool extends ServiceTool {
    /** The levels that only read. */
    private static final List<String> LEVELS = List.of(VerifyLevel.CHECKSUM.id(), VerifyLevel.ARCHIVE.id());

    public VerifyBackupTool(BackupService service) {
        super(service, Scope.READ);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "verify_backup",
                "Verify a backup",
                "Checks a backup: 'checksum' (default) re-reads size and SHA-256; 'archive' also reads"
                        + " its contents. Failed: passed=false. Restore drills: drill_backup.",
                input(
                        props(
                                "backup_id", backupIdArg("From list_backups."),
                                "store", storeArg(),
                                "level", enumOf("Default 'checksum'.", LEVELS)),
                        "backup_id"),
                output(Reports.properties(), "backup_id", "passed", "checks"),
                Hints.READ_ONLY);
    }

    /** A call made before the split: level 'restore' is drill_backup. */
    @Override
    public String movedTo(Map<String, Object> arguments) {
        return arguments != null
                        && arguments.get("level") instanceof String l
                        && l.trim().equalsIgnoreCase("restore")
                ? "verify_backup only reads (levels checksum and archive); for a restore drill, call drill_backup"
                        + " with the same backup_id"
                : null;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String id = arguments.backupId("backup_id");
        VerifyLevel level = VerifyLevel.parse(arguments.string("level"));
        if (level == VerifyLevel.RESTORE) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "verify_backup only reads: its levels are checksum and archive",
                    "for a restore drill into a scratch database, call drill_backup with the same backup_id");
        }
        context.log().info("verifying " + id + " at level " + level.id());
        VerificationReport report = service.verify(id, arguments.name("store"), level, context.operation());
        Map<String, Object> out = Reports.view(report);
        return new ToolResult(out, Views.redact(Reports.text(report)));
    }
}
