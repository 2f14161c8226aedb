package dev.lifeboat.core.notify;

import java.time.Instant;

/**
 * The JSON body a webhook receives (snake_case, like every Lifeboat document; absent values left out).
 *
 * @param event "failure", "recovery" (a success after a failure), "success", or "objective_missed" (the
 *     health check found a source newly LATE, FAILING or NEVER)
 * @param source the configured database or directory
 * @param kind "database", "directory" or (objective_missed only) "set"
 * @param time when the backup started (objective_missed: when the health was checked)
 * @param backupId the backup's id (a failed one's too: it names the attempt in the audit log)
 * @param store the store it went (or was going) to
 * @param sizeBytes the stored size, on success
 * @param durationMillis how long it took, on success
 * @param error the failure's code and (redacted) message, on failure
 * @param state objective_missed only: the source's state ({@code LATE}, {@code FAILING}, {@code NEVER})
 * @param problems objective_missed only: what is missed, in words
 * @param host the host that ran it
 * @param lifeboatVersion the version that ran it
 */
public record BackupEvent(
        String event,
        String source,
        String kind,
        Instant time,
        String backupId,
        String store,
        Long sizeBytes,
        Long durationMillis,
        Failure error,
        String state,
        java.util.List<String> problems,
        String host,
        String lifeboatVersion) {

    /** A failure: its {@code ErrorCode} name and message. */
    public record Failure(String code, String message) {}
}
