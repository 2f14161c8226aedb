package dev.lifeboat.core.restore;

import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Plan;
import java.time.Instant;
import java.util.List;

/**
 * What a restore would do, in terms a person can check before approving it.
 *
 * @param backupId the backup
 * @param store the store it is read from
 * @param backupCreatedAt when the backup was taken
 * @param backupSizeBytes the stored size
 * @param backupSha256 the manifest's checksum the restore will verify
 * @param sourceDatabase the configured database the backup came from
 * @param target the configured database entry whose server receives the restore
 * @param targetServer host:port of the target server
 * @param targetDbname the database name that will be written
 * @param targetExists whether it exists now
 * @param mode CREATE, CLEAN or REPLACE
 * @param destructive whether existing data will be dropped
 * @param willReplace tables in the target that the restore drops and recreates (CLEAN) or whose current
 *     contents the backup's take the place of (REPLACE)
 * @param willKeep tables in the target that are not in the backup and that a CLEAN restore leaves alone
 *     (so the result mixes the backup and today)
 * @param onlyInTarget tables in the target that the backup lacks: left behind by CLEAN, gone after
 *     REPLACE (kept in the previous copy)
 * @param targetOwner the target database's owner, which a REPLACE keeps; null when it does not exist
 * @param targetSizeBytes the target's size on disk now; -1 when unknown or it does not exist
 * @param sessions the sessions connected to the target now: a REPLACE ends them at the swap
 * @param keptAs the name the database being replaced is kept under for undo; null when none is kept
 * @param keptFor how long it is kept (e.g. 24h); null when none is kept
 * @param undoable whether the restore can be undone (nothing existing is changed, the previous
 *     database is kept, or a safety backup is taken first)
 * @param safetyBackup for CLEAN: whether a backup of the target is taken into its store before it is
 *     touched (undo restores it)
 * @param selection the tables and schemas restored; everything when both lists are empty
 * @param dependents for a selective restore over an existing database: what else in it hangs on the
 *     replaced tables and how the restore puts it back (foreign keys of other tables, views)
 * @param skipped for a selective restore: what hangs off the selection but needs something that is
 *     neither restored nor at the target, and so is left out, each with its reason
 * @param serverVersion the target server's version
 * @param warnings things a person should know (a version downgrade...)
 * @param confirmation the token and expiry for a destructive plan; null otherwise
 * @param summary the plan in one paragraph of plain words
 */
public record RestorePlan(
        String backupId,
        String store,
        Instant backupCreatedAt,
        long backupSizeBytes,
        String backupSha256,
        String sourceDatabase,
        String target,
        String targetServer,
        String targetDbname,
        boolean targetExists,
        RestoreMode mode,
        boolean destructive,
        List<String> willReplace,
        List<String> willKeep,
        List<String> onlyInTarget,
        String targetOwner,
        long targetSizeBytes,
        List<String> sessions,
        String keptAs,
        String keptFor,
        boolean undoable,
        boolean safetyBackup,
        Selection selection,
        List<String> dependents,
        List<String> skipped,
        String serverVersion,
        List<String> warnings,
        Confirmation confirmation,
        String summary)
        implements Plan {}
