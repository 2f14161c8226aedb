package dev.lifeboat.core.config;

import dev.lifeboat.core.store.StoreUri;
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
 */
public record StoreConfig(
        String name,
        StoreUri uri,
        Map<String, String> options,
        StoreEncryption encryption,
        dev.lifeboat.core.retention.RetentionPolicy retention) {
    public StoreConfig {
        options = Map.copyOf(options);
    }

    /** A store without client-side encryption. */
    public StoreConfig(String name, StoreUri uri, Map<String, String> options) {
        this(name, uri, options, null, null);
    }
}
