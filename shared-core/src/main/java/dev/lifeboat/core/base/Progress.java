package dev.lifeboat.core.base;

/** Receives progress of a long operation. Implementations must be cheap and must not throw. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total, message) -> {};

    /**
     * @param done bytes (or units) done so far
     * @param total the total when known, else -1
     * @param message what is happening, for people
     */
    void report(long done, long total, String message);
}
