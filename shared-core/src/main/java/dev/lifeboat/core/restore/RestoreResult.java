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
        int jobs) {}
