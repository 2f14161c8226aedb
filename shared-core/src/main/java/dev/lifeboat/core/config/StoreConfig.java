package dev.lifeboat.core.config;

import dev.lifeboat.core.store.StoreUri;
import java.util.Map;

/**
 * One configured store.
 *
 * @param name the configured name
 * @param uri where it is
 * @param options store-specific settings (part size, encryption...), validated by the store's adapter
 */
public record StoreConfig(String name, StoreUri uri, Map<String, String> options) {
    public StoreConfig {
        options = Map.copyOf(options);
    }
}
