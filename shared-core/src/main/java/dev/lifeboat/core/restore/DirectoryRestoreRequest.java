package dev.lifeboat.core.restore;

/**
 * Restore a directory backup into a directory.
 *
 * @param backupId the backup to restore (of kind "directory")
 * @param store the store to read it from, or null to search every configured store
 * @param targetDir the absolute directory to extract into; it may be missing or empty (nothing is
 *     overwritten), or hold files (its contents are replaced: destructive, needs a token)
 * @param confirmToken the token from the plan, required when the target is not empty
 */
public record DirectoryRestoreRequest(String backupId, String store, String targetDir, String confirmToken) {

    public DirectoryRestoreRequest withToken(String token) {
        return new DirectoryRestoreRequest(backupId, store, targetDir, token);
    }
}
