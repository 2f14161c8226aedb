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
 * @param mode CREATE or CLEAN
 * @param destructive whether existing data will be dropped
 * @param willReplace tables in the target that the restore drops and recreates
 * @param willKeep tables in the target that are not in the backup and are left alone
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
        String serverVersion,
        List<String> warnings,
        Confirmation confirmation,
        String summary)
        implements Plan {}
