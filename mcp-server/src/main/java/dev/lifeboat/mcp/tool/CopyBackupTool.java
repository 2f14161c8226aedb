package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.manage.BackupCopier;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** Replicates a backup to a second configured store. */
public final class CopyBackupTool extends ServiceTool {
    public CopyBackupTool(BackupService service) {
        super(service, Scope.WRITE);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "copy_backup",
                "Copy a backup",
                "Copies a backup to another configured store (e.g. off-site), SHA-256 checked in transit and on arrival; same id. Overwrites nothing.",
                input(
                        props(
                                "backup_id", backupIdArg("From list_backups."),
                                "store", nameArg("From this store (default: where found)."),
                                "to_store", nameArg("Store to copy to.")),
                        "backup_id",
                        "to_store"),
                output(
                        props(
                                "backup", backup(false),
                                "to_store", string("The store the copy is in."),
                                "bytes", integer("Bytes copied (0 when it was already there)."),
                                "already_present", bool("The target already held this backup with the same checksum."),
                                "verified_on_arrival",
                                        bool("The copy was read back from the target and its SHA-256 checked.")),
                        "backup",
                        "to_store"),
                Hints.ADDITIVE_IDEMPOTENT);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String to = arguments.name("to_store");
        BackupCopier.CopyResult r =
                service.copy(arguments.backupId("backup_id"), arguments.name("store"), to, context.operation());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backup", Views.backup(new BackupRecord(to, r.manifest()), false));
        out.put("to_store", to);
        out.put("bytes", r.bytes());
        out.put("already_present", r.alreadyPresent());
        out.put("verified_on_arrival", r.readBack());
        String text = r.alreadyPresent()
                ? "Backup " + r.manifest().id() + " is already in store " + to + " with the same checksum."
                : "Copied backup " + r.manifest().id() + " (" + Views.size(r.bytes()) + ") to store " + to
                        + (r.readBack() ? "; its SHA-256 was verified on arrival." : ".");
        return new ToolResult(out, Views.redact(text));
    }
}
