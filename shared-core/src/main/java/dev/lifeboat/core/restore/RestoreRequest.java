package dev.lifeboat.core.restore;

/**
 * Restore a backup.
 *
 * @param backupId the backup to restore
 * @param store the store to read it from, or null to search every configured store
 * @param targetServer the configured database whose server receives the restore, or null for the one the
 *     backup was taken from
 * @param targetDbname the database name on that server, or null for the configured database's own
 * @param mode CREATE (new database), REPLACE (over an existing one, by a swap) or CLEAN (over an
 *     existing one, in place)
 * @param confirmToken the token from the plan, required for destructive plans
 * @param jobs pg_restore's parallel jobs for a restore into a new database (1-64), or null for the
 *     configured {@code restore_jobs} (else one per core); a clean restore always runs one job, in one
 *     transaction
 * @param withoutSafetyBackup for CLEAN: skip the safety backup of the target that the restore takes
 *     first (and so give up undo); part of the plan the token is bound to
 * @param selection the tables and schemas to restore, or {@link Selection#EVERYTHING} (null reads as
 *     that); part of the plan the token is bound to
 * @param owners who owns the restored objects (null reads as {@link Owners#KEEP}); part of the plan
 */
public record RestoreRequest(
        String backupId,
        String store,
        String targetServer,
        String targetDbname,
        RestoreMode mode,
        String confirmToken,
        Integer jobs,
        boolean withoutSafetyBackup,
        Selection selection,
        Owners owners) {

    public RestoreRequest {
        selection = selection == null ? Selection.EVERYTHING : selection;
        owners = owners == null ? Owners.KEEP : owners;
    }

    /** A request whose clean restore (if it is one) takes a safety backup first. */
    public RestoreRequest(
            String backupId,
            String store,
            String targetServer,
            String targetDbname,
            RestoreMode mode,
            String confirmToken,
            Integer jobs) {
        this(backupId, store, targetServer, targetDbname, mode, confirmToken, jobs, false, null, null);
    }

    /** A request with the configured number of jobs. */
    public RestoreRequest(
            String backupId,
            String store,
            String targetServer,
            String targetDbname,
            RestoreMode mode,
            String confirmToken) {
        this(backupId, store, targetServer, targetDbname, mode, confirmToken, null);
    }

    public RestoreRequest withToken(String token) {
        return with(token, withoutSafetyBackup, selection, owners);
    }

    /** The same request without the clean restore's safety backup. */
    public RestoreRequest skippingSafetyBackup() {
        return with(confirmToken, true, selection, owners);
    }

    /** The same request restoring only {@code selection}. */
    public RestoreRequest selecting(Selection selection) {
        return with(confirmToken, withoutSafetyBackup, selection, owners);
    }

    /** The same request with {@code owners} deciding who owns the restored objects. */
    public RestoreRequest owning(Owners owners) {
        return with(confirmToken, withoutSafetyBackup, selection, owners);
    }

    /** The request with the parts the withers change; what it restores from and where stays. */
    private RestoreRequest with(String token, boolean withoutSafety, Selection selected, Owners owning) {
        return new RestoreRequest(
                backupId, store, targetServer, targetDbname, mode, token, jobs, withoutSafety, selected, owning);
    }
}
