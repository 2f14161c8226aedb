package dev.lifeboat.core.store;

/**
 * What a store can do, declared by the store so callers never test its class.
 *
 * @param conditionalCreate {@link BackupStore#put} with {@code createOnly} is enforced by the store
 *     itself (rename-without-replace, If-None-Match, doesNotExist), so two writers cannot both win
 * @param localFiles {@link BackupStore#localFile} returns the object's file, so a reader can verify
 *     and use it in place without a copy
 * @param rangedReads the store can serve a byte range without reading what comes before
 */
public record StoreCapabilities(boolean conditionalCreate, boolean localFiles, boolean rangedReads) {}
