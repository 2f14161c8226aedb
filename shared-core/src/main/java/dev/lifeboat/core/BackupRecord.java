package dev.lifeboat.core;

import dev.lifeboat.core.catalog.Manifest;

/**
 * A committed backup and the store it was found in.
 *
 * @param store the configured store name
 * @param manifest the backup's manifest
 */
public record BackupRecord(String store, Manifest manifest) {}
