package dev.lifeboat.core.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A dumb store of opaque objects under '/'-separated keys. It knows nothing of manifests, checksums
 * or retention; those live in the {@code Catalog} above it. Every store passes the same contract
 * test.
 *
 * <p>Keys are relative ({@code app/app-20261122T071200Z-3f9a/dump}): segments are non-empty, never
 * "." or "..", and hold no control characters. A store rejects any other key with
 * {@code INVALID_ARGUMENT} before touching its backend. Failures of the backend are
 * {@code STORE_UNAVAILABLE}; an object that is not there is {@code NOT_FOUND}. Both are
 * {@link dev.lifeboat.core.base.LifeboatException}s.
 */
public interface BackupStore extends AutoCloseable {

    /** What this store can do. */
    StoreCapabilities capabilities();

    /** A description for messages: the store's URI with any credentials removed. */
    String describe();

    /**
     * Writes an object from a stream, reading it to its end. Atomic: a reader sees the whole object
     * or nothing; if the stream or the backend fails part way, nothing is left under {@code key}
     * and the failure is thrown (the stream's own exception, unwrapped, when it was the stream).
     *
     * @param createOnly when true and an object already exists under {@code key}, fails with
     *     {@code ALREADY_EXISTS} and leaves the existing object as it was; when false, replaces it
     * @return what was stored
     */
    ObjectInfo put(String key, InputStream data, boolean createOnly);

    /**
     * Opens an object for reading from its start. The caller closes the stream.
     *
     * @throws dev.lifeboat.core.base.LifeboatException NOT_FOUND when there is no object under {@code key}
     */
    InputStream get(String key);

    /** The object's metadata, or empty when there is no object under {@code key}. */
    Optional<ObjectInfo> stat(String key);

    /**
     * All objects whose key starts with {@code prefix} (a prefix of "" lists everything), sorted by
     * key. Objects still being written are never listed. Pages through the backend as needed.
     */
    List<ObjectInfo> list(String prefix);

    /** Removes an object. Removing an object that is not there is not an error. */
    void delete(String key);

    /**
     * The file that holds an object, for stores whose capabilities declare {@code localFiles}; empty
     * for others and when there is no object under {@code key}.
     */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
