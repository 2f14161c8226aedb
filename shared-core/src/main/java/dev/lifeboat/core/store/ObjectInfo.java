package dev.lifeboat.core.store;

import java.time.Instant;

/**
 * What a store knows of one object.
 *
 * @param key the object's key, relative to the store's root, '/'-separated
 * @param size its size in bytes
 * @param lastModified when it was written, as the store reports it (may be null)
 */
public record ObjectInfo(String key, long size, Instant lastModified) {}
