package dev.lifeboat.core.store;

import dev.lifeboat.core.ErrorCode;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.store.local.LocalBackupStore;
import java.nio.file.Path;
import java.util.Map;

/** Opens the adapter for a configured store, chosen by the URI's scheme. */
public final class BackupStores {
    private BackupStores() {}

    public static BackupStore open(StoreConfig config, Map<String, String> env) {
        StoreUri uri = config.uri();
        return switch (uri.scheme()) {
            case "file" -> new LocalBackupStore(Path.of(uri.path()));
            default ->
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        "stores." + config.name() + ".uri: " + uri.scheme() + ":// stores are not supported yet",
                        "use a file:/// store");
        };
    }
}
