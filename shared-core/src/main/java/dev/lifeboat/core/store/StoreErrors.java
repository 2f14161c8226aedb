package dev.lifeboat.core.store;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.IOException;

/**
 * The failures every {@link BackupStore} reports in the same words, whatever its backend: so a
 * caller (and a person reading the message) cannot tell which adapter said it.
 */
public final class StoreErrors {
    private StoreErrors() {}

    /** NOT_FOUND: there is no object under {@code key} in {@code store} (a store's description). */
    public static LifeboatException notFound(String key, String store) {
        return new LifeboatException(ErrorCode.NOT_FOUND, "no object '" + key + "' in " + store, null);
    }

    /** ALREADY_EXISTS: a create-only put found {@code key} taken and left it as it was. */
    public static LifeboatException alreadyExists(String key, String store) {
        return new LifeboatException(
                ErrorCode.ALREADY_EXISTS,
                "object '" + key + "' already exists in " + store,
                "another writer committed it first; nothing was overwritten");
    }

    /**
     * STORE_UNAVAILABLE: the backend answered {@code what} at {@code where} with nothing more specific
     * to say; {@code retried} (a 5xx, a throttle) means the client's {@code attempts} all failed, else the
     * settings of {@code store} (its config path) are the likely cause.
     */
    public static LifeboatException failed(String where, String what, boolean retried, int attempts, String store) {
        return new LifeboatException(
                ErrorCode.STORE_UNAVAILABLE,
                "cannot reach the object at " + where + ": " + what,
                retried
                        ? "the store kept failing after " + attempts + " attempts; check its status and try again later"
                        : "check the store settings in " + store);
    }

    /**
     * Throws {@code e} unless it is NOT_FOUND: an absent object is an answer for {@link BackupStore#stat}
     * (empty) and {@link BackupStore#delete} (done), not a failure.
     */
    public static void throwUnlessNotFound(LifeboatException e) {
        if (e.code() != ErrorCode.NOT_FOUND) {
            throw e;
        }
    }

    /**
     * STORE_UNAVAILABLE: the caller's stream threw an {@link IOException} while a put read it (kept
     * as the cause). A stream's unchecked exceptions are not wrapped: they pass through unchanged.
     */
    public static LifeboatException sourceUnreadable(String key, String store, IOException e) {
        return new LifeboatException(
                ErrorCode.STORE_UNAVAILABLE,
                "cannot put '" + key + "' in " + store + ": reading the data failed: " + e.getMessage(),
                null,
                e);
    }
}
