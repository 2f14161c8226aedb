package dev.lifeboat.core.engine;

import java.time.Duration;
import java.util.List;

/**
 * A selective restore over an existing database: which archive entries to restore, in one
 * transaction, in place of which tables.
 *
 * @param only the dump ids of the archive entries to restore, in archive order
 * @param tables the tables (schema-qualified) the restore brings back: each that exists now is moved
 *     out of the way first, with its indexes, constraints, triggers and owned sequences
 * @param keepSchema the new schema the replaced tables are moved into and kept in (each renamed to
 *     its schema-qualified name, e.g. {@code "public.accounts"}), for undo
 * @param keepComment the comment put on that schema: what it keeps and until when, for undo and prune
 * @param lockTimeout how long the restore waits for a lock held by someone else before it gives up
 *     and changes nothing, or null to wait as long as it takes
 * @param keepOwners give the restored objects to their owners in the archive (else to the login)
 * @param grants restore the archive's grants on them
 */
public record TableReplacement(
        List<Integer> only,
        List<TableName> tables,
        String keepSchema,
        String keepComment,
        Duration lockTimeout,
        boolean keepOwners,
        boolean grants) {
    public TableReplacement {
        only = List.copyOf(only);
        tables = List.copyOf(tables);
    }

    /** Owned by the restoring login, grants restored. */
    public TableReplacement(
            List<Integer> only, List<TableName> tables, String keepSchema, String keepComment, Duration lockTimeout) {
        this(only, tables, keepSchema, keepComment, lockTimeout, false, true);
    }
}
