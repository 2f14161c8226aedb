package dev.lifeboat.core.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A dumb store of opaque objects under '/'-separated keys. It knows nothing of manifests, checksums
 * or retention; those live in the {@code Catalog} above it. Every store passes the same contract
 * test ({@code BackupStoreContract}), and this page is what that test holds them to.
 *
 * <p><b>Keys.</b> Keys are relative ({@code app/app-20261122T071200Z-3f9a/dump}), at most 512
 * characters: segments are non-empty, never "." or "..", and hold no control characters or
 * backslashes ({@link StoreKeys}). Every method that takes a key or prefix rejects any other with
 * {@code INVALID_ARGUMENT} before touching its backend. A store may keep objects of its own (temporary
 * files, probes) under names that are not valid keys; it never lists them.
 *
 * <p><b>Failures.</b> Every failure is a {@link dev.lifeboat.core.base.LifeboatException}. An object
 * that is not there is {@code NOT_FOUND} (only {@link #get} reports it: {@link #stat} answers empty and
 * {@link #delete} succeeds); a create-only write over an existing object is {@code ALREADY_EXISTS}; a
 * failure of the backend (network, permissions, full disk, a missing bucket) is {@code
 * STORE_UNAVAILABLE}, its message naming the store and key and its hint what to check; an interrupted
 * call is {@code CANCELLED}. A store whose backend fails transiently (an object store) retries inside;
 * what reaches the caller is final.
 *
 * <p><b>Atomicity.</b> An object appears whole or not at all: no reader ({@link #get}, {@link
 * #stat}, {@link #list}) ever sees part of a write, and a write that fails leaves nothing behind
 * under its key. A replaced object is seen either as it was or as it became, never a mix.
 *
 * <p><b>Concurrency.</b> A store is safe for use by several threads at once (the MCP server runs
 * requests concurrently over one store). Two create-only writes of the same key may both pass the
 * store's check only when {@link StoreCapabilities#conditionalCreate} is false.
 */
public interface BackupStore extends AutoCloseable {

    /**
     * What this store can do, declared so callers never test the store's class. Part of the answer may
     * be learnt from the backend on first use (whether it honours conditional writes).
     */
    StoreCapabilities capabilities();

    /**
     * The store's URI for messages, with any credentials removed ({@code file:///var/backups},
     * {@code s3://bucket/prefix at https://minio:9000}). Never touches the backend.
     */
    String describe();

    /**
     * Writes an object from a stream, reading it to its end; the caller closes the stream. Atomic:
     * a reader sees the whole object or nothing; if the stream or the backend fails part way, nothing
     * is left under {@code key} and the failure is thrown (the stream's own unchecked exception,
     * unwrapped, when it was the stream; an {@link java.io.IOException} of the stream as {@code
     * STORE_UNAVAILABLE}). A store on a disk or a network reads the stream in bounded pieces, never
     * whole, so memory stays flat whatever the object's size.
     *
     * @param createOnly when true and an object already exists under {@code key}, fails with
     *     {@code ALREADY_EXISTS} and leaves the existing object as it was (object stores check before
     *     reading the stream, so a taken key costs no upload; others may read it first); when false,
     *     replaces it
     * @return what was stored: {@code key}, the number of bytes read from the stream, and the time
     *     of the write as the store or the writer saw it (a later {@link #stat} or {@link #list} may
     *     report the backend's own time instead)
     */
    ObjectInfo put(String key, InputStream data, boolean createOnly);

    /**
     * Opens an object for reading from its start. The caller closes the stream. The stream yields one
     * version of the object: if it is replaced or deleted while being read, the stream either goes on
     * with the version it opened or fails with an {@link java.io.IOException}; it never mixes two.
     *
     * @throws dev.lifeboat.core.base.LifeboatException NOT_FOUND when there is no object under {@code key}
     */
    InputStream get(String key);

    /**
     * The object's metadata ({@code key}, size, modification time or null), or empty when there is
     * no object under {@code key}. An object still being written is not there.
     */
    Optional<ObjectInfo> stat(String key);

    /**
     * All objects whose key starts with {@code prefix} (a plain string prefix: {@code "a/"} lists
     * {@code a/1} but not {@code ab/1}; a prefix of "" lists everything), sorted by key. Objects still
     * being written, and the store's own bookkeeping, are never listed. Pages through the backend as
     * needed and returns everything in one list.
     *
     * <p>An object that has not changed is listed with the same size and modification time every
     * time, so a caller may cache what it read of it under that pair ({@code ManifestCache} does).
     */
    List<ObjectInfo> list(String prefix);

    /**
     * {@link #list}, and {@link #unfinishedWrites} when the same pass over the store sees them all (a
     * local store listed from its root walks every directory once); {@code unfinished} is null when it
     * does not, and a caller that wants them asks {@link #unfinishedWrites}.
     *
     * @param objects what {@link #list} returns
     * @param unfinished what {@link #unfinishedWrites} returns, or null
     */
    record Listed(List<ObjectInfo> objects, List<ObjectInfo> unfinished) {}

    /** {@link #list} with the unfinished writes seen on the way; default: a plain {@link #list}. */
    default Listed listWithUnfinished(String prefix) {
        return new Listed(list(prefix), null);
    }

    /**
     * Removes an object. Removing an object that is not there is not an error. Another reader's stream
     * already open on the object behaves as {@link #get} says.
     */
    void delete(String key);

    /**
     * What writes that never finished left in the store under names {@link #list} never shows (a
     * local store's temporary files, an object store's incomplete multipart uploads): each as an
     * {@link ObjectInfo} whose key is the store's own name for it, with its size and last change as far
     * as the store knows them. A write still in progress is among them too: the caller decides by age
     * (or by knowing its writer is gone) what is abandoned. Default: this store leaves nothing behind.
     */
    default List<ObjectInfo> unfinishedWrites() {
        return List.of();
    }

    /** Removes one of {@link #unfinishedWrites}, by its name there; fine if it is gone. */
    default void removeUnfinishedWrite(String name) {}

    /**
     * The file that holds an object, for stores whose capabilities declare {@code localFiles}; empty
     * for others and when there is no object under {@code key}. The file is the object itself (read it,
     * never write it), so a caller can hash and use it in place without a copy.
     */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    /**
     * Releases what the store holds (clients, connections, threads). Nothing is called on the store
     * afterwards; streams it returned that are still open may fail.
     */
    @Override
    default void close() {}
}
