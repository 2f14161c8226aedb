package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.backup.SetRunResult;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;

/** Backs up one configured database or directory, or every member of a configured set. */
public final class CreateBackupTool extends ServiceTool {
    public CreateBackupTool(BackupService service) {
        super(service, Scope.WRITE);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "create_backup",
                "Back up a database",
                "Backs up a configured database or directory, or each member of a 'set'; returns the manifest (id, size, SHA-256). Only adds a backup.",
                input(props(
                        "database", nameArg("Database or directory (default: the default)."),
                        "set", nameArg("A set: all members (not with database)."),
                        "store", storeArg(),
                        "label", string("Free text, no secrets.", 200),
                        "tags", stringMap("e.g. {\"ticket\": \"OPS-12\"}.", 20),
                        "compression",
                                enumOf(
                                        "Default: as configured.",
                                        java.util.Arrays.stream(Compression.values())
                                                .map(Compression::id)
                                                .toList()))),
                output(
                        props(
                                "status",
                                        enumOf(
                                                "'created' (one backup), 'set_created' (every member of a set),"
                                                        + " 'incomplete' (some set members failed).",
                                                java.util.List.of("created", "set_created", "incomplete")),
                                "backup", backup(true),
                                "set_run", anyObject("For a set: set, run id, and each member's backup or error.")),
                        "status"),
                Hints.ADDITIVE);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String set = arguments.name("set");
        if (set != null) {
            if (arguments.name("database") != null) {
                throw new dev.lifeboat.core.base.LifeboatException(
                        dev.lifeboat.core.base.ErrorCode.INVALID_ARGUMENT,
                        "pass either 'database' or 'set', not both",
                        "a set already names its databases and directories");
            }
            return createSet(set, arguments, context);
        }
        CreateBackupRequest request = new CreateBackupRequest(
                arguments.name("database"),
                arguments.name("store"),
                arguments.string("label"),
                arguments.tags("tags"),
                compression(arguments));
        context.log()
                .info("backup of " + (request.database() == null ? "the default database" : request.database())
                        + " started");
        BackupRecord record = service.create(request, context.operation());
        String text = "Created backup " + record.manifest().id() + " of "
                + (record.manifest().ofDirectory() ? "directory " : "database ")
                + record.manifest().database()
                + " in store " + record.store() + ": "
                + Views.size(record.manifest().sizeBytes()) + " ("
                + record.manifest().compression() + "), "
                + (record.manifest().ofDirectory()
                        ? record.manifest().directory().files() + " files"
                        : record.manifest().tables().size() + " tables")
                + ", sha256 " + record.manifest().sha256() + ".";
        if (record.manifest().label() != null) {
            text += " Label (user data): " + Json.quote(record.manifest().label()) + ".";
        }
        return Views.status("created", "backup", Views.backup(record, true), text);
    }

    /** The requested compression's canonical name, or null for the configured one. */
    private static String compression(Arguments arguments) {
        String compression = arguments.string("compression");
        return compression == null
                ? null
                : Compression.parse(compression, "compression").id();
    }

    private ToolResult createSet(String set, Arguments arguments, ToolContext context) {
        context.log().info("backup of set " + set + " started");
        SetRunResult run = service.createSet(
                set,
                arguments.name("store"),
                arguments.string("label"),
                arguments.tags("tags"),
                compression(arguments),
                context.operation());
        StringBuilder text = new StringBuilder(run.complete() ? "Backed up set " : "Set backup INCOMPLETE: ")
                .append(run.set())
                .append(" (run ")
                .append(run.run())
                .append("), ")
                .append(run.members().size() - run.failed())
                .append(" of ")
                .append(run.members().size())
                .append(" members:");
        for (SetRunResult.Member m : run.members()) {
            text.append("\n- ").append(m.name()).append(" (").append(m.kind()).append("): ");
            if (m.backup() != null) {
                text.append(m.backup().manifest().id())
                        .append(", ")
                        .append(Views.size(m.backup().manifest().sizeBytes()));
            } else {
                text.append("FAILED ").append(m.error()).append(": ").append(m.message());
            }
        }
        return Views.status(
                run.complete() ? "set_created" : "incomplete", "set_run", Views.setRun(run), text.toString());
    }
}
