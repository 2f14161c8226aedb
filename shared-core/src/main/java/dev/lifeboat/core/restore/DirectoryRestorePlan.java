package dev.lifeboat.core.restore;

import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Plan;
import java.time.Instant;

/**
 * What a directory restore would do.
 *
 * @param backupId the backup
 * @param store the store it is read from
 * @param backupCreatedAt when the backup was taken
 * @param backupSizeBytes the stored size
 * @param backupSha256 the manifest's checksum the restore verifies before the target is touched
 * @param sourceDirectory the configured directory name the backup came from
 * @param sourcePath the directory that was archived
 * @param files files in the backup
 * @param fileBytes bytes of file content in the backup
 * @param targetDir the directory that receives the contents
 * @param targetExists whether it exists now
 * @param targetEntries how many entries it holds at its top level now (0 if missing or empty)
 * @param destructive whether existing contents are replaced (the target is not empty)
 * @param confirmation the token and expiry for a destructive plan; null otherwise
 * @param summary the plan in one paragraph of plain words
 */
public record DirectoryRestorePlan(
        String backupId,
        String store,
        Instant backupCreatedAt,
        long backupSizeBytes,
        String backupSha256,
        String sourceDirectory,
        String sourcePath,
        long files,
        long fileBytes,
        String targetDir,
        boolean targetExists,
        long targetEntries,
        boolean destructive,
        Confirmation confirmation,
        String summary)
        implements Plan {}
