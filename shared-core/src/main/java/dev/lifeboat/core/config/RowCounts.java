package dev.lifeboat.core.config;

/** How a backup records its tables' row counts. */
public enum RowCounts {
    /** The planner's estimates (pg_class.reltuples): free. */
    ESTIMATE,
    /** COUNT(*) of every table in the dump's own snapshot: exact, costs a scan of each table. */
    EXACT
}
