package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupRecord;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.CreateBackupRequest;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.mcp.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** Backs up one configured database. */
public final class CreateBackupTool implements LifeboatTool {
    private final BackupService service;

    public CreateBackupTool(BackupService service) {
        this.service = service;
    }

    @Override
    public McpSchema.Tool definition() {
        return McpSchema.Tool.builder()
                .name("create_backup")
                .title("Back up a database")
                .description("Takes a new backup of a configured PostgreSQL database (pg_dump custom format) and"
                        + " stores it in a configured store, then returns the backup's manifest (id, size,"
                        + " SHA-256, tables). Use it before risky changes such as migrations or bulk updates. It"
                        + " only reads the database and only adds a new backup; it never changes or deletes"
                        + " data or other backups. It can take minutes for large databases; progress is reported"
                        + " when the client sends a progress token.")
                .inputSchema(input(props(
                        "database",
                                nameArg("Name of a configured database (see list_databases). Omit to use the"
                                        + " default database."),
                        "store", storeArg(),
                        "label",
                                string(
                                        "Optional free text to recognise the backup by, e.g. 'before migration"
                                                + " 42'. Never put secrets here.",
                                        200),
                        "tags",
                                stringMap(
                                        "Optional key/value tags (string values), e.g. {\"ticket\": \"OPS-12\"}.", 20),
                        "compression",
                                enumOf(
                                        "Optional compression for this backup. Omit to use the configured one"
                                                + " (default gzip, pg_dump's own). 'zstd' is several times faster"
                                                + " and smaller, compressed by Lifeboat on all cores; 'none'"
                                                + " stores the archive uncompressed.",
                                        java.util.Arrays.stream(Compression.values())
                                                .map(Compression::id)
                                                .toList()))))
                .outputSchema(object(
                        props("status", enumOf(null, java.util.List.of("created")), "backup", backup(true)),
                        "status",
                        "backup"))
                .annotations(annotations("Back up a database", false, false, false))
                .build();
    }

    @Override
    public Scope scope() {
        return Scope.WRITE;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String compression = arguments.string("compression");
        if (compression != null) {
            compression = Compression.parse(compression, "compression").id();
        }
        CreateBackupRequest request = new CreateBackupRequest(
                arguments.name("database"),
                arguments.name("store"),
                arguments.string("label"),
                arguments.tags("tags"),
                compression);
        context.log()
                .info("backup of " + (request.database() == null ? "the default database" : request.database())
                        + " started");
        BackupRecord record = service.create(request, context.operation());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "created");
        out.put("backup", Views.backup(record, true));
        String text = "Created backup " + record.manifest().id() + " of database "
                + record.manifest().database()
                + " in store " + record.store() + ": "
                + Views.size(record.manifest().sizeBytes()) + " ("
                + record.manifest().compression() + "), "
                + record.manifest().tables().size() + " tables, sha256 "
                + record.manifest().sha256() + ".";
        if (record.manifest().label() != null) {
            text += " Label (user data): " + Json.quote(record.manifest().label()) + ".";
        }
        return new ToolResult(out, Views.redact(text));
    }
}
