package dev.lifeboat.core.restore;

/** How a restore treats its target database. */
public enum RestoreMode {
    /** Into a database that does not exist yet: created by the restore. Not destructive. */
    CREATE,
    /** Over an existing database: the archive's objects are dropped and recreated. Destructive. */
    CLEAN
}
