package dev.lifeboat.core.catalog;

/**
 * A committed backup and the store it was found in.
 *
 * @param store the configured store name
 * @param manifest the backup's manifest
 */
public record BackupRecord(String store, Manifest manifest) {}
