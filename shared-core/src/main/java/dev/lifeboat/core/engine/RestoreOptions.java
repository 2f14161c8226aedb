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
 * @param sections which of the archive's sections to restore
 */
public record RestoreOptions(
        boolean clean,
        int jobs,
        java.time.Duration lockTimeout,
        List<Integer> only,
        boolean keepOwners,
        boolean grants,
        Sections sections) {
    /**
     * The parts of an archive a restore runs (pg_restore's {@code --section}): everything, or one of the
     * two halves of a restore whose table data streams into one job while the indexes, constraints and
     * grants that follow it are built by several jobs from a copy of the archive's head.
     */
    public enum Sections {
        ALL,
        /** The definitions that come before the data, and the data. */
        UP_TO_DATA,
        /** What follows the data: indexes, constraints, triggers, materialized views' contents, grants. */
        POST_DATA
    }

    public RestoreOptions {
        only = only == null ? null : List.copyOf(only);
        sections = sections == null ? Sections.ALL : sections;
    }

    /** Everything owned by the restoring login, grants restored. */
    public RestoreOptions(boolean clean, int jobs, java.time.Duration lockTimeout, List<Integer> only) {
        this(clean, jobs, lockTimeout, only, false, true, Sections.ALL);
    }

    public RestoreOptions(boolean clean, int jobs, java.time.Duration lockTimeout) {
        this(clean, jobs, lockTimeout, null);
    }

    public RestoreOptions(boolean clean, int jobs) {
        this(clean, jobs, null, null);
    }

    /** The same options restoring only the entries {@code ids}. */
    public RestoreOptions only(List<Integer> ids) {
        return new RestoreOptions(clean, jobs, lockTimeout, ids, keepOwners, grants, sections);
    }

    /** The same options with owners kept or not, and grants restored or not. */
    public RestoreOptions owners(boolean keep, boolean withGrants) {
        return new RestoreOptions(clean, jobs, lockTimeout, only, keep, withGrants, sections);
    }

    /** The same options for {@code part} of the archive, with {@code n} jobs. */
    public RestoreOptions part(Sections part, int n) {
        return new RestoreOptions(clean, n, lockTimeout, only, keepOwners, grants, part);
    }
}
