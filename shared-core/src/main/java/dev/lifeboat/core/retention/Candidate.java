package dev.lifeboat.core.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * One backup of a database as retention sees it.
 *
 * @param id the backup id (used for messages and to break ties between equal times)
 * @param createdAt when the backup was taken; buckets are computed from it in UTC
 * @param verified whether the backup passed verification (checksum or better); the newest verified
 *     backup is never removed
 */
public record Candidate(String id, Instant createdAt, boolean verified) {
    public Candidate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
