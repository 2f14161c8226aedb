package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.restore.BackupContents;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/** One backup's manifest. */
public final class GetBackupTool extends ServiceTool {
    public GetBackupTool(BackupService service) {
        super(service, Scope.READ);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "get_backup",
                "Show a backup",
                "A backup's manifest: server, size, SHA-256, tables with row counts (-1: unknown), label, tags. contents: true adds schemas, views and objects.",
                input(
                        props(
                                "backup_id", backupIdArg("From list_backups."),
                                "store", storeArg(),
                                "contents", bool("Also list what it holds.")),
                        "backup_id"),
                output(props("backup", backup(true), "contents", anyObject("What the archive holds.")), "backup"),
                Hints.READ_ONLY);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        BackupRecord r = service.get(arguments.backupId("backup_id"), arguments.name("store"));
        String text =
                "Backup " + r.manifest().id() + " of database " + r.manifest().database() + " in store "
                        + r.store() + ", taken " + r.manifest().createdAt() + ": "
                        + Views.size(r.manifest().sizeBytes())
                        + ", " + r.manifest().tables().size() + " tables, sha256 "
                        + r.manifest().sha256() + ".";
        if (r.manifest().label() != null) {
            text += " Label (user data): " + Json.quote(r.manifest().label()) + ".";
        }
        if (arguments.bool("contents", false)) {
            BackupContents contents = service.contents(r.manifest().id(), r.store(), context.operation());
            text += " Its archive holds schemas " + String.join(", ", contents.schemas()) + "; "
                    + contents.views().size() + " views; " + contents.objects() + ".";
            return new ToolResult(
                    Json.fields("backup", Views.backup(r, true), "contents", Json.object(contents)),
                    Views.redact(text));
        }
        return new ToolResult(Map.of("backup", Views.backup(r, true)), Views.redact(text));
    }
}
