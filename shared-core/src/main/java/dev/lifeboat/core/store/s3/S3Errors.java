package dev.lifeboat.core.store.s3;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.store.StoreErrors;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Waits for one store's S3 calls and turns what the SDK throws into {@link LifeboatException}s: the
 * code callers act on (NOT_FOUND, ALREADY_EXISTS, STORE_UNAVAILABLE, CANCELLED), a message naming
 * the operation, bucket and key, and a hint naming the setting or permission to check.
 */
final class S3Errors {
    private final S3Settings settings;

    S3Errors(S3Settings settings) {
        this.settings = settings;
    }

    /**
     * The future's value; an interrupt cancels the call and is CANCELLED (the thread's flag is set
     * again), any failure is {@link #translate translated}.
     */
    <T> T await(CompletableFuture<T> f, String operation, String key) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new LifeboatException(
                    ErrorCode.CANCELLED,
                    operation + " of '" + key + "' in " + settings.describe() + " was interrupted",
                    null);
        } catch (ExecutionException | CancellationException | CompletionException e) {
            throw translate(operation, key, e.getCause() == null ? e : e.getCause());
        }
    }

    LifeboatException alreadyExists(String key) {
        return StoreErrors.alreadyExists(key, settings.describe());
    }

    /**
     * Turns an SDK failure into a LifeboatException naming the operation, bucket and key. The SDK's
     * exception is not kept as the cause: only its status, error code and message, which carry no
     * credentials or signatures, are.
     */
    LifeboatException translate(String operation, String key, Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof LifeboatException le) {
            return le;
        }
        String where = "s3://" + settings.bucket() + "/" + settings.objectKey(key) + " (" + operation + ")";
        String store = "stores." + settings.storeName();
        if (t instanceof AwsServiceException e) {
            return translate(operation, key, e, where, store);
        }
        String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new LifeboatException(
                ErrorCode.STORE_UNAVAILABLE,
                "cannot reach the object at " + where + ": " + detail,
                "gave up after " + settings.maxAttempts() + " attempts; check the network path to "
                        + (settings.endpoint() == null
                                ? "S3"
                                : settings.endpoint().toString()) + " and try again");
    }

    private LifeboatException translate(
            String operation, String key, AwsServiceException e, String where, String store) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message =
                e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        String what = status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
        if ("NoSuchBucket".equals(code)) {
            return new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "bucket '" + settings.bucket() + "' does not exist: " + where,
                    "check the bucket in " + store + ".uri, and the region/endpoint it lives at");
        }
        if (status == 404 && !"NoSuchUpload".equals(code)) {
            return StoreErrors.notFound(key, settings.describe());
        }
        if ("NoSuchUpload".equals(code)) {
            return new LifeboatException(ErrorCode.NOT_FOUND, "no such upload: " + where, null);
        }
        if (status == 412 || "ConditionalRequestConflict".equals(code)) {
            return alreadyExists(key);
        }
        if ("InvalidAccessKeyId".equals(code)
                || "SignatureDoesNotMatch".equals(code)
                || "ExpiredToken".equals(code)
                || "InvalidToken".equals(code)) {
            return new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "the credentials were refused at " + where + ": " + what,
                    "check the access key and secret (" + store
                            + ".access_key_id_env/secret_access_key_env, or the AWS default chain) and that they"
                            + " belong to this endpoint");
        }
        if (status == 403) {
            return new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "access denied at " + where + ": " + what,
                    "check the credentials, and that their policy allows s3:" + permission(operation)
                            + " on the bucket and prefix (and kms:GenerateDataKey/kms:Decrypt with SSE-KMS)");
        }
        if (status == 301
                || "PermanentRedirect".equals(code)
                || "AuthorizationHeaderMalformed".equals(code)
                || "IllegalLocationConstraintException".equals(code)) {
            return new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "the bucket is not in the configured region: " + where + ": " + what,
                    "set " + store + ".region (or ?region=) to the bucket's region");
        }
        return StoreErrors.failed(
                where, what, status >= 500 || status == 429 || status == 503, settings.maxAttempts(), store);
    }

    /** The IAM action an S3 operation needs. */
    private static String permission(String operation) {
        return switch (operation) {
            case "HeadObject", "GetObject" -> "GetObject";
            case "ListObjectsV2" -> "ListBucket";
            case "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "PutObject" -> "PutObject";
            default -> operation;
        };
    }
}
