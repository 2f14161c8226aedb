package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.manage.Inventory;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What is configured: the names every other tool takes. */
public final class ListDatabasesTool extends ServiceTool {
    public ListDatabasesTool(BackupService service) {
        super(service, Scope.READ);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "list_databases",
                "List sources",
                "Configured databases, directories, sets and stores; call it first. Tools take these names, never hosts or URLs.",
                input(props()),
                output(
                        props(
                                "databases",
                                        array(
                                                "Configured databases.",
                                                object(
                                                        props(
                                                                "name", string("The name to pass as 'database'."),
                                                                "host", string(null),
                                                                "port", integer(null),
                                                                "dbname", string("Database name on the server."),
                                                                "user", string(null),
                                                                "store", string("Its default store, if any."),
                                                                "password_source",
                                                                        string("Where the password comes from."),
                                                                "compression",
                                                                        string("What its backups use unless"
                                                                                + " create_backup names one:"
                                                                                + " gzip, zstd or none."),
                                                                "compression_level",
                                                                        integer("Its level, if one is set."),
                                                                "compression_source",
                                                                        string("'database', the store, or"
                                                                                + " 'default'."),
                                                                "restore_jobs",
                                                                        integer("pg_restore jobs for a restore into"
                                                                                + " a new database."),
                                                                "restore_jobs_source", string(null)),
                                                        "name")),
                                "stores",
                                        array(
                                                "Configured stores.",
                                                object(
                                                        props(
                                                                "name", string(null),
                                                                "uri", string(null),
                                                                "compression",
                                                                        string("Its own compression setting, if"
                                                                                + " any."),
                                                                "compression_level", integer(null)),
                                                        "name")),
                                "directories",
                                        array(
                                                "Configured directories (a second source kind, backed up as tar).",
                                                object(
                                                        props(
                                                                "name", string("The name to pass as 'database'."),
                                                                "path", string(null),
                                                                "store", string(null),
                                                                "compression",
                                                                        string("How its tar is compressed (default"
                                                                                + " zstd)."),
                                                                "compression_level", integer(null),
                                                                "compression_source", string(null),
                                                                "excludes",
                                                                        array(
                                                                                "Glob patterns left out of its"
                                                                                        + " backups.",
                                                                                string(null))),
                                                        "name")),
                                "sets",
                                        array(
                                                "Configured backup sets: pass the name as create_backup's 'set'.",
                                                object(
                                                        props(
                                                                "name", string(null),
                                                                "members", array(null, string(null))),
                                                        "name")),
                                "default_database", string(null),
                                "default_store", string(null),
                                "config_source", string("The configuration file in use.")),
                        "databases",
                        "stores"),
                Hints.READ_ONLY);
    }

    /** A store as the model sees it: its URI redacted, compression only where the config sets it. */
    private static Map<String, Object> store(Inventory.StoreEntry s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", s.name());
        v.put("uri", Views.redact(s.uri()));
        if (s.compression() != null) {
            v.put("compression", s.compression());
        }
        if (s.compressionLevel() != null) {
            v.put("compression_level", s.compressionLevel());
        }
        return v;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        Inventory inv = service.inventory();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("databases", inv.databases().stream().map(Json::object).toList());
        out.put("stores", inv.stores().stream().map(ListDatabasesTool::store).toList());
        out.put("directories", inv.directories().stream().map(Json::object).toList());
        out.put("sets", inv.sets().stream().map(Json::object).toList());
        if (inv.defaultDatabase() != null) {
            out.put("default_database", inv.defaultDatabase());
        }
        if (inv.defaultStore() != null) {
            out.put("default_store", inv.defaultStore());
        }
        out.put("config_source", inv.configSource());
        StringBuilder text = new StringBuilder();
        text.append(inv.databases().size()).append(" database(s): ");
        text.append(inv.databases().stream()
                .map(d -> d.name() + " (" + d.dbname() + " on " + d.host() + ":" + d.port() + ")")
                .collect(Collectors.joining(", ")));
        if (!inv.directories().isEmpty()) {
            text.append("; ").append(inv.directories().size()).append(" directory(ies): ");
            text.append(inv.directories().stream()
                    .map(d -> d.name() + " (" + d.path() + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (!inv.sets().isEmpty()) {
            text.append("; ").append(inv.sets().size()).append(" set(s): ");
            text.append(inv.sets().stream()
                    .map(s -> s.name() + " [" + String.join(", ", s.members()) + "]")
                    .collect(Collectors.joining(", ")));
        }
        text.append("; ").append(inv.stores().size()).append(" store(s): ");
        text.append(inv.stores().stream().map(Inventory.StoreEntry::name).collect(Collectors.joining(", ")));
        if (inv.defaultDatabase() != null) {
            text.append("; default database ").append(inv.defaultDatabase());
        }
        if (inv.defaultStore() != null) {
            text.append("; default store ").append(inv.defaultStore());
        }
        return new ToolResult(out, Views.redact(text.toString()));
    }
}
