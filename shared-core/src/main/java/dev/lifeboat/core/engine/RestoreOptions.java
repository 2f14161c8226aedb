package dev.lifeboat.core.engine;

import java.util.List;

/**
 * How to restore an archive.
 *
 * @param clean drop the archive's objects in the target before recreating them, all in one
 *     transaction so a failure leaves the target as it was
 * @param jobs parallel jobs for pg_restore (1 = single transaction capable); ignored when clean
 * @param lockTimeout how long a statement of the restore waits for a lock held by someone else before
 *     the restore fails (and, when clean, rolls back), or null to wait as long as it takes
 * @param only the dump ids of the archive entries to restore, in the order to restore them (a
 *     selective restore: pg_restore's --use-list); null for the whole archive
 * @param keepOwners give each object to the role that owned it (ALTER ... OWNER TO; the roles must
 *     exist and the login must be able to give objects to them); false: everything belongs to the
 *     restoring login (pg_restore --no-owner)
 * @param grants restore the archive's grants (false: pg_restore --no-acl, when roles they name are missing)
 */
public record RestoreOptions(
        boolean clean,
        int jobs,
        java.time.Duration lockTimeout,
        List<Integer> only,
        boolean keepOwners,
        boolean grants) {
    public RestoreOptions {
        only = only == null ? null : List.copyOf(only);
    }

    /** Everything owned by the restoring login, grants restored. */
    public RestoreOptions(boolean clean, int jobs, java.time.Duration lockTimeout, List<Integer> only) {
        this(clean, jobs, lockTimeout, only, false, true);
    }

    public RestoreOptions(boolean clean, int jobs, java.time.Duration lockTimeout) {
        this(clean, jobs, lockTimeout, null);
    }

    public RestoreOptions(boolean clean, int jobs) {
        this(clean, jobs, null, null);
    }

    /** The same options restoring only the entries {@code ids}. */
    public RestoreOptions only(List<Integer> ids) {
        return new RestoreOptions(clean, jobs, lockTimeout, ids, keepOwners, grants);
    }

    /** The same options with owners kept or not, and grants restored or not. */
    public RestoreOptions owners(boolean keep, boolean withGrants) {
        return new RestoreOptions(clean, jobs, lockTimeout, only, keep, withGrants);
    }
}
