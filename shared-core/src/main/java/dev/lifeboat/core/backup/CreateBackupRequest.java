package dev.lifeboat.core.backup;

import java.util.Collections;
import java.util.LinkedHashMap;
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
        // a copy that keeps null keys and values, so the use case refuses them by name
        // (Map.copyOf would throw a bare NullPointerException here)
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** A request with the configured compression. */
    public CreateBackupRequest(String database, String store, String label, Map<String, String> tags) {
        this(database, store, label, tags, null);
    }
}
