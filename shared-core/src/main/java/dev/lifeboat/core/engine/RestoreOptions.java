package dev.lifeboat.core.engine;

/**
 * How to restore an archive.
 *
 * @param clean drop the archive's objects in the target before recreating them, all in one
 *     transaction so a failure leaves the target as it was
 * @param jobs parallel jobs for pg_restore (1 = single transaction capable); ignored when clean
 * @param lockTimeout how long a statement of the restore waits for a lock held by someone else before
 *     the restore fails (and, when clean, rolls back), or null to wait as long as it takes
 */
public record RestoreOptions(boolean clean, int jobs, java.time.Duration lockTimeout) {
    public RestoreOptions(boolean clean, int jobs) {
        this(clean, jobs, null);
    }
}
