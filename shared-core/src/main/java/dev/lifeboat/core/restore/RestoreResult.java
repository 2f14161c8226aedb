package dev.lifeboat.core.restore;

import java.time.Instant;

/**
 * A finished restore.
 *
 * @param backupId the backup restored
 * @param store where it was read from
 * @param target the configured database entry
 * @param targetServer host:port
 * @param targetDbname the database written
 * @param mode CREATE or CLEAN
 * @param bytes the archive bytes verified and restored
 * @param sha256 the checksum verified before pg_restore ran
 * @param startedAt when it started
 * @param durationMillis how long it took
 * @param jobs the parallel jobs pg_restore ran with (1 for a clean restore, which is one transaction)
 * @param previous for a REPLACE: the name the replaced database is kept under for undo, or null when
 *     it was dropped (keep_previous 0)
 * @param previousExpiresAt when that copy expires, or null
 * @param sessionsEnded the sessions a REPLACE ended at the swap
 * @param notes what else happened that a person should know
 * @param swapMillis for a REPLACE: how long the swap took (stopping connections, ending sessions,
 *     the renames), the only time the database was unavailable; 0 otherwise
 * @param tables for a selective restore: the tables restored; empty when the whole backup was
 * @param skipped for a selective restore: what hangs off the selection but needs something outside it
 *     and so was not restored (a foreign key to a table not restored...), each with its reason
 */
public record RestoreResult(
        String backupId,
        String store,
        String target,
        String targetServer,
        String targetDbname,
        RestoreMode mode,
        long bytes,
        String sha256,
        Instant startedAt,
        long durationMillis,
        int jobs,
        String previous,
        Instant previousExpiresAt,
        java.util.List<String> sessionsEnded,
        java.util.List<String> notes,
        long swapMillis,
        java.util.List<String> tables,
        java.util.List<String> skipped) {}
