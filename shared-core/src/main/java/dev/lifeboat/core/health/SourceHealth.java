package dev.lifeboat.core.health;

import java.time.Instant;
import java.util.List;

/**
 * The health of one database, directory or set.
 *
 * @param name the configured name
 * @param kind "database", "directory" or "set"
 * @param state the verdict
 * @param objectives what it must meet (a member's include those of its sets); null fields: none
 * @param backups how many committed backups of it the stores hold (a copy in two stores counts twice)
 * @param newest its newest committed backup, or null
 * @param copies the stores holding the newest backup
 * @param lastAttempt when its last backup was attempted, from the audit log or the newest backup
 * @param lastFailure its last failed backup, or null
 * @param newestDrill its newest restore drill, whatever the result, or null
 * @param newestPassingDrill when its newest passing drill started, or null
 * @param members a set's members with their states (empty for a database or directory)
 * @param problems what is wrong, each with its next step; empty when OK
 */
public record SourceHealth(
        String name,
        String kind,
        HealthState state,
        Promised objectives,
        int backups,
        Backup newest,
        List<String> copies,
        Instant lastAttempt,
        Failure lastFailure,
        Drill newestDrill,
        Instant newestPassingDrill,
        List<Member> members,
        List<Problem> problems) {

    public SourceHealth {
        copies = List.copyOf(copies);
        members = List.copyOf(members);
        problems = List.copyOf(problems);
    }

    /**
     * The objectives, as configured.
     *
     * @param rpo e.g. "26h", or null
     * @param drillEvery e.g. "7d", or null
     * @param copies how many stores, or null
     */
    public record Promised(String rpo, String drillEvery, Integer copies) {}

    /**
     * A committed backup.
     *
     * @param ageSeconds how long before the check it was taken
     */
    public record Backup(
            String backupId, String store, Instant createdAt, long ageSeconds, long sizeBytes, long durationMillis) {}

    /**
     * A failed backup, as the audit log tells it.
     *
     * @param errorCode the failure's code (an {@code ErrorCode} name), or the outcome when it had none
     * @param message what failed (redacted when the log was written)
     */
    public record Failure(Instant time, String backupId, String store, String errorCode, String message) {}

    /**
     * A restore drill.
     *
     * @param result "PASS" or "FAIL"
     * @param error why it could not complete, or null
     */
    public record Drill(String backupId, String store, Instant startedAt, String result, String error) {}

    /** A member of a set and its state. */
    public record Member(String name, HealthState state) {}
}
