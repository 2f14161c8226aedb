package dev.lifeboat.cli;

import dev.lifeboat.core.base.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one mapping from outcomes to process exit codes. Scripts depend on these numbers: add new
 * ones, never renumber. The table is printed in {@code lifeboat --help} and docs/cli.md.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    /** picocli's usage-error code; invalid arguments found by the service land here too. */
    public static final int USAGE = 2;

    public static final int CONFIG_INVALID = 3;
    public static final int NOT_FOUND = 4;
    public static final int ALREADY_EXISTS = 5;
    public static final int INTEGRITY_FAILED = 6;
    public static final int CONFIRMATION_REQUIRED = 7;
    public static final int TOKEN_REJECTED = 8;
    public static final int DATABASE_UNREACHABLE = 9;
    public static final int TOOL_VERSION = 10;
    public static final int TOOL_FAILED = 11;
    public static final int STORE_UNAVAILABLE = 12;
    public static final int STATE_UNAVAILABLE = 13;
    public static final int BUSY = 14;
    public static final int PERMISSION_DENIED = 15;
    /**
     * {@code lifeboat status} ran and found a source that is not OK (LATE, FAILING or NEVER) or a store
     * it could not read. Not an error code of the core: the check itself succeeded.
     */
    public static final int OBJECTIVE_MISSED = 16;
    /** 128 + SIGINT, what shells report for a command stopped by Ctrl-C. */
    public static final int CANCELLED = 130;

    private ExitCodes() {}

    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> USAGE;
            case CONFIG_INVALID -> CONFIG_INVALID;
            case NOT_FOUND -> NOT_FOUND;
            case ALREADY_EXISTS -> ALREADY_EXISTS;
            case INTEGRITY_FAILED -> INTEGRITY_FAILED;
            case CONFIRMATION_REQUIRED -> CONFIRMATION_REQUIRED;
            case TOKEN_REJECTED -> TOKEN_REJECTED;
            case DATABASE_UNREACHABLE -> DATABASE_UNREACHABLE;
            case TOOL_VERSION -> TOOL_VERSION;
            case TOOL_FAILED -> TOOL_FAILED;
            case STORE_UNAVAILABLE -> STORE_UNAVAILABLE;
            case CANCELLED -> CANCELLED;
            case INTERNAL -> INTERNAL;
            case STATE_UNAVAILABLE -> STATE_UNAVAILABLE;
            case BUSY -> BUSY;
            case PERMISSION_DENIED -> PERMISSION_DENIED;
            // a code added to the core after this table was written: still an error, never 0
            default -> INTERNAL;
        };
    }

    /** Exit code to meaning, in the order shown by {@code --help}. */
    public static Map<String, String> table() {
        Map<String, String> t = new LinkedHashMap<>();
        row(t, OK, "success");
        row(t, INTERNAL, "unexpected internal error (INTERNAL)");
        row(t, USAGE, "usage error: bad option or argument (INVALID_ARGUMENT)");
        row(t, CONFIG_INVALID, "the configuration is invalid (CONFIG_INVALID)");
        row(t, NOT_FOUND, "backup, database or store not found (NOT_FOUND)");
        row(t, ALREADY_EXISTS, "the target already exists (ALREADY_EXISTS)");
        row(t, INTEGRITY_FAILED, "stored bytes do not match the manifest, or verify failed (INTEGRITY_FAILED)");
        row(t, CONFIRMATION_REQUIRED, "destructive plan printed; re-run with --confirm TOKEN (CONFIRMATION_REQUIRED)");
        row(t, TOKEN_REJECTED, "the confirmation token was refused (TOKEN_REJECTED)");
        row(
                t,
                DATABASE_UNREACHABLE,
                "the database server could not be reached or refused the login (DATABASE_UNREACHABLE)");
        row(
                t,
                TOOL_VERSION,
                "no suitable pg_dump/pg_restore found, or the backup needs a newer Lifeboat (TOOL_VERSION)");
        row(t, TOOL_FAILED, "pg_dump or pg_restore failed (TOOL_FAILED)");
        row(t, STORE_UNAVAILABLE, "the backup store could not be read or written (STORE_UNAVAILABLE)");
        row(
                t,
                STATE_UNAVAILABLE,
                "Lifeboat's state directory could not be written: disk full or read-only (STATE_UNAVAILABLE)");
        row(
                t,
                BUSY,
                "another operation holds the target (a restore into the same database is running); nothing changed"
                        + " (BUSY)");
        row(
                t,
                PERMISSION_DENIED,
                "the database login lacks a right the operation needs, e.g. CREATEDB (PERMISSION_DENIED)");
        row(
                t,
                OBJECTIVE_MISSED,
                "status: a source is LATE, FAILING or NEVER backed up, or a store could not be read"
                        + " (OBJECTIVE_MISSED)");
        row(t, CANCELLED, "cancelled, e.g. by Ctrl-C (CANCELLED)");
        return t;
    }

    private static void row(Map<String, String> table, int code, String meaning) {
        table.put(String.valueOf(code), meaning);
    }
}
