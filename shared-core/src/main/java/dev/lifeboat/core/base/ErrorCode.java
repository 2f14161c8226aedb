package dev.lifeboat.core.base;

/**
 * What went wrong, as a stable word that front ends map to exit codes (CLI) or {@code isError}
 * results (MCP). Add codes at the end; never rename one, scripts match on them.
 */
public enum ErrorCode {
    /** A request or argument is malformed: an invalid backup id, an unknown level, a bad name. */
    INVALID_ARGUMENT,
    /** The configuration file or one of its settings is wrong. */
    CONFIG_INVALID,
    /** The backup, database entry, store or object does not exist. */
    NOT_FOUND,
    /** Something already exists where a new thing was to be created. */
    ALREADY_EXISTS,
    /** Stored bytes do not match their manifest (size, SHA-256, archive format). */
    INTEGRITY_FAILED,
    /** A destructive operation was asked for without a confirmation token. */
    CONFIRMATION_REQUIRED,
    /** A confirmation token was malformed, tampered with, expired, replayed or bound to another plan. */
    TOKEN_REJECTED,
    /** The database server could not be reached or refused the login. */
    DATABASE_UNREACHABLE,
    /**
     * No suitable pg_dump/pg_restore was found, the server is newer than the tools, or a backup was
     * written by a newer Lifeboat than this one.
     */
    TOOL_VERSION,
    /** pg_dump or pg_restore ran and failed. */
    TOOL_FAILED,
    /** The store could not be read or written. */
    STORE_UNAVAILABLE,
    /** The operation was cancelled by its caller. */
    CANCELLED,
    /** A bug: something that should not happen did. */
    INTERNAL,
    /**
     * Lifeboat's own files under {@code state_dir} (plans, tokens, the restore spool, caches) could not
     * be written: its disk is full or read-only. Not the store, not the configuration.
     */
    STATE_UNAVAILABLE,
    /**
     * Another operation holds what this one needs (a restore into the same database is running):
     * nothing was changed; try again once it has finished.
     */
    BUSY,
    /** The database login lacks a right the operation needs (CREATEDB, owning the database...). */
    PERMISSION_DENIED
}
