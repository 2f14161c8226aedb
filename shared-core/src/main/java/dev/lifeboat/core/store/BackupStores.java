package dev.lifeboat.core.store;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.ConfigProblems;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.config.StoreUri;
import dev.lifeboat.core.store.gcs.GcsBackupStore;
import dev.lifeboat.core.store.gcs.GcsSettings;
import dev.lifeboat.core.store.local.LocalBackupStore;
import dev.lifeboat.core.store.s3.S3BackupStore;
import dev.lifeboat.core.store.s3.S3Settings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the adapter for a configured store, chosen by the URI's scheme. Object stores validate their
 * own settings here and take credentials from {@code env} (variables the config names) or their
 * SDK's default chain; never from an argument.
 */
public final class BackupStores {
    private BackupStores() {}

    /**
     * Checks every configured store's settings without connecting or reading credentials, so a
     * misspelt option is refused before anything runs: one CONFIG_INVALID listing each bad setting,
     * worded as the config loader words its own problems. {@code BackupService.open} runs it, so
     * every face that loads a config for use (the CLI's commands, {@code config check} included, and
     * the MCP server) refuses bad store settings up front.
     */
    public static void checkSettings(LifeboatConfig config) {
        ConfigProblems problems = new ConfigProblems();
        for (StoreConfig store : config.stores().values()) {
            try {
                checkSettings(store);
            } catch (LifeboatException e) {
                problems.add(e.getMessage());
            }
        }
        problems.throwIfAny(config.source());
    }

    /**
     * Checks one store's settings without connecting or reading credentials; throws CONFIG_INVALID
     * naming every bad setting.
     */
    public static void checkSettings(StoreConfig config) {
        switch (config.uri().scheme()) {
            case "s3" -> S3Settings.parse(config);
            case "gs" -> GcsSettings.parse(config);
            default -> {
                // file stores have no settings; the config loader refuses any
            }
        }
    }

    public static BackupStore open(StoreConfig config, Map<String, String> env) {
        StoreUri uri = config.uri();
        return switch (uri.scheme()) {
            case "file" -> new LocalBackupStore(Path.of(uri.path()));
            case "s3" -> S3BackupStore.open(config, env);
            case "gs" -> GcsBackupStore.open(config, env);
            default ->
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        "stores." + config.name() + ".uri: " + uri.scheme() + ":// stores are not supported yet",
                        "use a file:///, s3:// or gs:// store");
        };
    }
}
