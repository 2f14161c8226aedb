package dev.lifeboat.core.restore;

import java.time.Instant;

/**
 * A finished directory restore.
 *
 * @param backupId the backup restored
 * @param store where it was read from
 * @param targetDir the directory written
 * @param replaced whether existing contents were replaced
 * @param files files extracted
 * @param directories directories created (the target itself not counted)
 * @param symlinks symbolic links created (each checked to stay inside the target)
 * @param fileBytes bytes of file content written
 * @param bytes the stored bytes verified
 * @param sha256 the checksum verified before the target was touched
 * @param startedAt when it started
 * @param durationMillis how long it took
 */
public record DirectoryRestoreResult(
        String backupId,
        String store,
        String targetDir,
        boolean replaced,
        long files,
        long directories,
        long symlinks,
        long fileBytes,
        long bytes,
        String sha256,
        Instant startedAt,
        long durationMillis) {}
