package dev.lifeboat.core.config;

import dev.lifeboat.core.compress.CompressionSetting;
import java.util.Map;

/**
 * One configured store.
 *
 * @param name the configured name
 * @param uri where it is
 * @param options store-specific settings (part size, server-side encryption...), validated by the
 *     store's adapter
 * @param encryption client-side encryption of what Lifeboat writes there, or null for none
 * @param retention the retention policy for databases in this store that declare none, or null
 * @param compression how backups written here are compressed when their database says nothing, or
 *     null for the default (gzip, pg_dump's own)
 */
public record StoreConfig(
        String name,
        StoreUri uri,
        Map<String, String> options,
        StoreEncryption encryption,
        dev.lifeboat.core.retention.RetentionPolicy retention,
        CompressionSetting compression) {
    public StoreConfig {
        options = Map.copyOf(options);
    }

    /** A store without a compression setting of its own. */
    public StoreConfig(
            String name,
            StoreUri uri,
            Map<String, String> options,
            StoreEncryption encryption,
            dev.lifeboat.core.retention.RetentionPolicy retention) {
        this(name, uri, options, encryption, retention, null);
    }

    /** A store without client-side encryption. */
    public StoreConfig(String name, StoreUri uri, Map<String, String> options) {
        this(name, uri, options, null, null, null);
    }
}
