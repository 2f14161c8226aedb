package dev.lifeboat.core.manage;

import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code gc} found that crashed or killed runs left behind, and removes with this plan's token.
 *
 * @param items what would be removed, by kind
 * @param bytes their total size
 * @param unfinishedRuns audit runs that started and whose process died without an outcome; gc
 *     writes an "abandoned" outcome for each, so they are reported once
 * @param minAge how old a store object must be before gc takes it for abandoned (unless the audit
 *     log says its writer died)
 * @param confirmation the token for exactly this plan, or null when there is nothing to do
 * @param summary the plan in plain words
 */
public record LeftoverPlan(
        List<Item> items,
        long bytes,
        List<Run> unfinishedRuns,
        Duration minAge,
        Confirmation confirmation,
        String summary)
        implements Plan {

    /** Partial data in a store under its own temporary name (a killed upload). */
    public static final String TEMPORARY_OBJECT = "temporary_object";
    /** Data under a backup's key without a manifest: never listed, never restorable. */
    public static final String UNCOMMITTED_DATA = "uncommitted_data";
    /** A restore spool file in {@code state_dir/spool} (a downloaded, perhaps decrypted, dump). */
    public static final String SPOOL_FILE = "spool_file";
    /** A temporary libpq passfile in {@code state_dir/run}: it holds a password. */
    public static final String PASSFILE = "passfile";
    /**
     * A file Lifeboat was writing in {@code state_dir} (a plan, a remembered objective state, the audit
     * key) before renaming it into place, left by a killed process.
     */
    public static final String STATE_TEMP = "state_temp";
    /** A directory drill's scratch directory in {@code state_dir/drills}: a copy of a backup's files. */
    public static final String DRILL_SCRATCH = "drill_scratch";
    /**
     * A killed directory restore's staging directory beside its target (the backup's files, not yet
     * swapped in), or the target's old contents set aside once the new ones were in place.
     */
    public static final String RESTORE_STAGING = "restore_staging";
    /** The copy a killed replacing restore was filling beside its target ({@code NAME__restoring_xxxxxx}). */
    public static final String RESTORE_SHADOW = "restore_shadow";
    /** The scratch database of a killed restore drill ({@code lifeboat_drill_...}). */
    public static final String DRILL_DATABASE = "drill_database";

    /**
     * One leftover.
     *
     * @param kind one of the kinds above
     * @param where "store:NAME", "state_dir", "host" (beside a directory restore's target), or
     *     "database:NAME" (on the server of that configured database)
     * @param name the object's key or store name, or the file's path
     * @param bytes its size
     * @param lastModified its last change as the store or file system reports it (may be null)
     * @param why why it counts as left over
     */
    public record Item(String kind, String where, String name, long bytes, Instant lastModified, String why) {}

    /** A run the audit log shows as started and never finished, by a process that is gone. */
    public record Run(
            Instant startedAt,
            long pid,
            String operation,
            String backupId,
            String database,
            String store,
            String target,
            String subject) {}
}
