package dev.lifeboat.core.config;

import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.retention.RetentionPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * One configured directory: a second source kind next to databases, archived as a tar stream.
 * Its name shares the namespace of database names, since both become backup-id prefixes.
 *
 * @param name the configured name (used in backup ids and store keys)
 * @param path the absolute directory to archive; whether it exists is checked when a backup runs
 * @param store the store its backups go to by default, or null for the global default
 * @param retention how many backups prune keeps, or null to use the store's policy
 * @param compression how its tar is compressed, or null for the store's setting (else zstd)
 * @param excludes glob patterns of paths left out of the archive, relative to {@code path} (see
 *     {@link dev.lifeboat.core.source.files.Excludes}); already validated
 */
public record DirectoryConfig(
        String name,
        Path path,
        String store,
        RetentionPolicy retention,
        CompressionSetting compression,
        List<String> excludes) {
    public DirectoryConfig {
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
    }

    /** A directory with the store's compression and nothing excluded. */
    public DirectoryConfig(String name, Path path, String store, RetentionPolicy retention) {
        this(name, path, store, retention, null, List.of());
    }
}
