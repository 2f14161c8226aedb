package dev.lifeboat.core.config;

import dev.lifeboat.core.retention.RetentionPolicy;
import java.nio.file.Path;

/**
 * One configured directory: a second source kind next to databases, archived as a tar stream.
 * Its name shares the namespace of database names, since both become backup-id prefixes.
 *
 * @param name the configured name (used in backup ids and store keys)
 * @param path the absolute directory to archive; whether it exists is checked when a backup runs
 * @param store the store its backups go to by default, or null for the global default
 * @param retention how many backups prune keeps, or null to use the store's policy
 */
public record DirectoryConfig(String name, Path path, String store, RetentionPolicy retention) {}
