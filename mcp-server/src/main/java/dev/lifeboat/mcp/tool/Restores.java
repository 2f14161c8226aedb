package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.restore.Owners;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.restore.RestoreResult;
import dev.lifeboat.core.restore.Selection;
import java.util.List;
import java.util.Map;

/**
 * What the two restore tools share: restore_backup (into a new database or an empty directory, never
 * over anything) and restore_over_existing (over an existing database or a non-empty directory).
 */
final class Restores {
    /** The name of the destructive restore tool, for the hints that send a caller there. */
    static final String OVER_EXISTING = "restore_over_existing";

    /** The arguments a directory restore does not take (besides each tool's own database ones). */
    private static final List<String> DATABASE_ARGUMENTS =
            List.of("target_server", "target_database", "target_dbname", "tables", "schemas", "owners");

    private Restores() {}

    /**
     * The arguments both tools take (the backup, its store, the target, jobs, a selection and owners),
     * followed by {@code more} (key, schema pairs).
     */
    static Map<String, Object> arguments(Object... more) {
        Map<String, Object> p = props(
                "backup_id", backupIdArg("From list_backups."),
                "store", storeArg(),
                "target_server", nameArg("Whose server gets it (default: the backup's)."),
                "target_dbname",
                        pattern("Database name there (default: configured).", "^[A-Za-z_][A-Za-z0-9_$-]{0,62}$"),
                "jobs", integer("Default: one per core.", 1, LifeboatConfig.MAX_RESTORE_JOBS),
                "tables", array("schema.table names.", Map.of("type", "string")),
                "schemas", array("Schema names.", Map.of("type", "string")),
                "owners", enumOf("Default: keep.", List.of("keep", "login", "create_roles")));
        p.putAll(props(more));
        return p;
    }

    /** The target_dir argument. */
    static Map<String, Object> targetDirArgument(String description) {
        return pattern(description, "^/.*");
    }

    /** The finished restore, as both tools' output schemas declare it. */
    static Map<String, Object> result() {
        return anyObject("The finished restore: target, bytes, sha256 verified, duration.");
    }

    /** INVALID_ARGUMENT when a directory restore (target_dir) is given a database restore's argument. */
    static void requireOnlyDirectoryArguments(Arguments arguments, String... toolArguments) {
        boolean database = java.util.stream.Stream.concat(DATABASE_ARGUMENTS.stream(), List.of(toolArguments).stream())
                .anyMatch(arguments::given);
        if (database) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "target_dir cannot be combined with target_server, target_dbname, tables, schemas, owners"
                            + (toolArguments.length == 0 ? "" : ", " + String.join(", ", toolArguments)),
                    "target_dir is for directory backups; the others for database backups");
        }
    }

    /** The core's request for a database restore in {@code mode}. */
    static RestoreRequest request(Arguments arguments, RestoreMode mode, boolean withoutSafetyBackup) {
        int jobs = arguments.integer("jobs", 0, 1, LifeboatConfig.MAX_RESTORE_JOBS); // 0: not given
        return new RestoreRequest(
                arguments.backupId("backup_id"),
                arguments.name("store"),
                targetServer(arguments),
                arguments.dbname("target_dbname"),
                mode,
                null,
                jobs == 0 ? null : jobs,
                withoutSafetyBackup,
                Selection.of(arguments.strings("tables"), arguments.strings("schemas")),
                Owners.parse(arguments.string("owners")));
    }

    /** The core's request for a directory restore into {@code targetDir}, without a token yet. */
    static DirectoryRestoreRequest directoryRequest(Arguments arguments, String targetDir) {
        return new DirectoryRestoreRequest(arguments.backupId("backup_id"), arguments.name("store"), targetDir, null);
    }

    /** The answer of a database restore that ran. */
    static ToolResult restored(RestoreResult result) {
        String text = "Restored backup " + result.backupId() + " into database " + result.targetDbname() + " on "
                + result.targetServer() + " (mode " + result.mode().id() + ", "
                + result.jobs() + (result.jobs() == 1 ? " job, " : " jobs, ")
                + Views.size(result.bytes()) + ", sha256 verified, " + result.durationMillis() + " ms)."
                + (result.previous() == null || result.mode() != RestoreMode.CLEAN
                        ? ""
                        : " A safety backup of the database was taken first: " + result.previous()
                                + "; undo_restore puts it back.")
                + (result.previous() == null || result.mode() != RestoreMode.REPLACE
                        ? ""
                        : " The database it replaced is kept as " + result.previous() + " until "
                                + result.previousExpiresAt() + "; undo_restore puts it back.")
                + (result.sessionsEnded().isEmpty()
                        ? ""
                        : " " + result.sessionsEnded().size() + " connected session(s) were ended at the swap.")
                + (result.tables().isEmpty() ? "" : " Tables restored: " + String.join(", ", result.tables()) + ".")
                + (result.skipped().isEmpty() ? "" : " Not restored: " + String.join("; ", result.skipped()) + ".")
                + (result.notes().isEmpty() ? "" : " " + String.join(" ", result.notes()));
        return Views.status("restored", "result", Json.object(result), text);
    }

    /** The answer of a directory restore that ran. */
    static ToolResult restored(DirectoryRestoreResult result) {
        String text = "Restored backup " + result.backupId() + " into directory " + result.targetDir()
                + (result.replaced() ? " (its previous contents were replaced)" : "") + ": " + result.files()
                + " files, " + Views.size(result.fileBytes()) + ", sha256 verified, " + result.durationMillis()
                + " ms.";
        return Views.status("restored", "result", Json.object(result), text);
    }

    /** target_server, or its deprecated first name target_database (kept for one release). */
    private static String targetServer(Arguments arguments) {
        String server = arguments.name("target_server");
        String legacy = arguments.name("target_database");
        if (server != null && legacy != null && !server.equals(legacy)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "target_database is the old name of target_server; they name different databases here",
                    "pass only target_server (the configured database whose server receives the restore) and"
                            + " target_dbname for the new database's name");
        }
        return server != null ? server : legacy;
    }
}
