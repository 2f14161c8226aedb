package dev.lifeboat.core.restore;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a restore treats its target database; in JSON by its documented lower-case name. */
public enum RestoreMode {
    /** Into a database that does not exist yet: created by the restore. Not destructive. */
    CREATE,
    /**
     * Over an existing database, in place: the archive's objects are dropped and recreated in one
     * transaction; objects the backup lacks survive. Destructive.
     */
    CLEAN,
    /**
     * Over an existing database, by restoring into a new database beside it and swapping the names: the
     * result is exactly the backup, and the database it replaced is kept for undo. Destructive.
     */
    REPLACE;

    /** "create", "clean" or "replace": what the CLI, the MCP tools, JSON output and the audit log say. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static RestoreMode of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
