package dev.lifeboat.core.engine;

/**
 * How to restore an archive.
 *
 * @param clean drop the archive's objects in the target before recreating them, all in one
 *     transaction so a failure leaves the target as it was
 * @param jobs parallel jobs for pg_restore (1 = single transaction capable); ignored when clean
 */
public record RestoreOptions(boolean clean, int jobs) {}
