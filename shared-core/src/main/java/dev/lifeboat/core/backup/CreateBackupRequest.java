package dev.lifeboat.core.backup;

import java.util.Map;

/**
 * Back up one configured database or directory.
 *
 * @param database the configured database name, or null for the default
 * @param store the configured store name, or null for the database's default
 * @param label free text to remember the backup by, or null
 * @param tags key/value tags
 * @param compression "gzip", "zstd" or "none" for this backup, or null for the database's or
 *     directory's (else the store's, else gzip for a database and zstd for a directory)
 */
public record CreateBackupRequest(
        String database, String store, String label, Map<String, String> tags, String compression) {
    public CreateBackupRequest {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** A request with the configured compression. */
    public CreateBackupRequest(String database, String store, String label, Map<String, String> tags) {
        this(database, store, label, tags, null);
    }
}
