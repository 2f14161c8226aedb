package dev.lifeboat.core.store.gcs;

import com.google.cloud.BaseServiceException;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.store.StoreErrors;
import java.nio.file.FileAlreadyExistsException;
import java.util.Locale;

/**
 * Turns what one store's GCS client library throws into {@link LifeboatException}s: the code callers
 * act on (NOT_FOUND, ALREADY_EXISTS, STORE_UNAVAILABLE), a message naming the operation, bucket and
 * object, and a hint naming the setting or role to check. A failure of the caller's own stream is
 * carried past the backend's catch blocks as a {@link SourceFailure} and handed back unchanged.
 */
final class GcsErrors {
    private final GcsSettings settings;

    GcsErrors(GcsSettings settings) {
        this.settings = settings;
    }

    LifeboatException notFound(String key) {
        return StoreErrors.notFound(key, settings.describe());
    }

    LifeboatException alreadyExists(String key) {
        return StoreErrors.alreadyExists(key, settings.describe());
    }

    /**
     * Turns a client-library failure into a LifeboatException naming the operation, bucket and
     * object. The library's exception is not kept as the cause; its code and message are.
     */
    LifeboatException translate(String operation, String key, Throwable t) {
        if (t instanceof SourceFailure sf) {
            return sf.original() instanceof LifeboatException le
                    ? le
                    : new LifeboatException(ErrorCode.INTERNAL, "unexpected source failure", null, sf.original());
        }
        if (t instanceof LifeboatException le) {
            return le;
        }
        Throwable e = t;
        while (!(e instanceof BaseServiceException) && e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        String where = "gs://" + settings.bucket() + "/" + settings.objectName(key) + " (" + operation + ")";
        String store = "stores." + settings.storeName();
        if (hasCause(t, FileAlreadyExistsException.class)) {
            return alreadyExists(key);
        }
        if (e instanceof BaseServiceException se) {
            int code = se.getCode();
            String what = code + (se.getReason() == null ? "" : " " + se.getReason()) + ": " + se.getMessage();
            if (code == 412) {
                return alreadyExists(key);
            }
            if (code == 404) {
                String m = String.valueOf(se.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("bucket")) {
                    return new LifeboatException(
                            ErrorCode.STORE_UNAVAILABLE,
                            "bucket '" + settings.bucket() + "' does not exist: " + where,
                            "check the bucket in " + store + ".uri");
                }
                return notFound(key);
            }
            if (code == 401 || code == 403) {
                return new LifeboatException(
                        ErrorCode.STORE_UNAVAILABLE,
                        "access denied at " + where + ": " + what,
                        "check the credentials (" + store + ".credentials_file or Application Default Credentials)"
                                + " and that they hold roles/storage.objectAdmin (or objectCreator + objectViewer)"
                                + " on the bucket");
            }
            return StoreErrors.failed(
                    where, what, se.isRetryable() || code >= 500 || code == 429, settings.maxAttempts(), store);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new LifeboatException(
                ErrorCode.STORE_UNAVAILABLE,
                "cannot reach the object at " + where + ": " + detail,
                "check the network path to Google Cloud Storage and try again");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** Carries a failure of the caller's stream past the catch blocks meant for the backend's. */
    static final class SourceFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient RuntimeException original;

        SourceFailure(RuntimeException original) {
            super(null, null, false, false);
            this.original = original;
        }

        RuntimeException original() {
            return original;
        }
    }
}
