package dev.lifeboat.core.restore;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a restore treats its target database; in JSON by its documented lower-case name. */
public enum RestoreMode {
    /** Into a database that does not exist yet: created by the restore. Not destructive. */
    CREATE,
    /** Over an existing database: the archive's objects are dropped and recreated. Destructive. */
    CLEAN;

    /** "create" or "clean": what the CLI, the MCP tools, JSON output and the audit log say. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static RestoreMode of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
