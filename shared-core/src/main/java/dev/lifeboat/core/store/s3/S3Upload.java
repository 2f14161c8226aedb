package dev.lifeboat.core.store.s3;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.store.StoreErrors;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Streams one stream of unknown length into one S3 object, with bounded memory. The first part is
 * read before anything is sent: if the stream ends inside it, one PutObject carries the object;
 * otherwise a multipart upload begins, and each part is read from the stream only once there is room
 * for it (at most {@code max_in_flight} parts of {@code part_size} uploading at once), so the stream
 * is the brake. Past 5,000 parts the part size doubles, and again past 7,500, so one object can reach
 * S3's 5 TB limit within its 10,000 parts. On any failure (the stream, a part, the completion) the
 * upload is aborted after every part in flight has settled, so no parts are left behind and nothing
 * is listed.
 */
final class S3Upload {
    // the store's logger: an abort's warning is the store's, wherever the code that logs it lives
    private static final Logger LOG = LoggerFactory.getLogger(S3BackupStore.class);
    private static final int MAX_PARTS = 10_000;

    private final S3Settings settings;
    private final S3AsyncClient client;
    private final S3Errors errors;

    S3Upload(S3Settings settings, S3AsyncClient client, S3Errors errors) {
        this.settings = settings;
        this.client = client;
        this.errors = errors;
    }

    /**
     * Writes {@code data} to its end under {@code key} (the store's key, already validated).
     *
     * @param ifNoneMatch send {@code If-None-Match: *}, so the server refuses a key that is taken
     */
    ObjectInfo put(String key, InputStream data, boolean ifNoneMatch) {
        String k = settings.objectKey(key);
        byte[] first = read(data, partSize(1), key);
        if (first.length < partSize(1)) {
            PutObjectRequest.Builder req = PutObjectRequest.builder()
                    .bucket(settings.bucket())
                    .key(k)
                    .contentLength((long) first.length)
                    .serverSideEncryption(settings.sse())
                    .ssekmsKeyId(settings.kmsKeyId())
                    .storageClass(settings.storageClass())
                    .tagging(settings.tags());
            if (ifNoneMatch) {
                req.ifNoneMatch("*");
            }
            errors.await(client.putObject(req.build(), AsyncRequestBody.fromBytesUnsafe(first)), "PutObject", key);
            return new ObjectInfo(key, first.length, Instant.now());
        }
        return putMultipart(key, k, first, data, ifNoneMatch);
    }

    private ObjectInfo putMultipart(String key, String k, byte[] first, InputStream data, boolean ifNoneMatch) {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                .bucket(settings.bucket())
                .key(k)
                .serverSideEncryption(settings.sse())
                .ssekmsKeyId(settings.kmsKeyId())
                .storageClass(settings.storageClass())
                .tagging(settings.tags());
        if (settings.checksums()) {
            create.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        String uploadId = errors.await(client.createMultipartUpload(create.build()), "CreateMultipartUpload", key)
                .uploadId();
        // memory budget in KiB: parts wait for room before they are read, so the stream is the brake
        int budget = (int) (settings.partSize() / 1024 * settings.maxInFlight());
        Semaphore room = new Semaphore(budget);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
        long size = 0;
        boolean done = false;
        try {
            byte[] block = first;
            int n = 1;
            while (true) {
                int cost = Math.min(budget, block.length / 1024);
                room.acquire(cost);
                if (failure.get() != null) {
                    room.release(cost);
                    break;
                }
                size += block.length;
                parts.add(uploadPart(k, uploadId, n, block).whenComplete((p, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    room.release(cost);
                }));
                if (block.length < partSize(n)) {
                    break;
                }
                if (n == MAX_PARTS) {
                    if (data.read() != -1) {
                        throw new LifeboatException(
                                ErrorCode.STORE_UNAVAILABLE,
                                "cannot put '" + key + "' in " + settings.describe() + ": it is larger than "
                                        + MAX_PARTS + " parts",
                                "set stores." + settings.storeName() + ".part_size larger");
                    }
                    break;
                }
                byte[] next = read(data, partSize(n + 1), key);
                if (next.length == 0) {
                    break;
                }
                block = next;
                n++;
            }
            settle(parts);
            if (failure.get() != null) {
                throw errors.translate("UploadPart", key, failure.get());
            }
            List<CompletedPart> completed =
                    parts.stream().map(CompletableFuture::join).toList();
            CompleteMultipartUploadResponse r = errors.await(
                    client.completeMultipartUpload(b -> {
                        b.bucket(settings.bucket()).key(k).uploadId(uploadId).multipartUpload(m -> m.parts(completed));
                        if (ifNoneMatch) {
                            b.ifNoneMatch("*");
                        }
                    }),
                    "CompleteMultipartUpload",
                    key);
            if (r.eTag() == null || r.eTag().isEmpty()) {
                // a 200 whose body was an <Error> the SDK did not recognise: the object was not made
                throw new LifeboatException(
                        ErrorCode.STORE_UNAVAILABLE,
                        "cannot put '" + key + "' in " + settings.describe()
                                + " (CompleteMultipartUpload): the server answered without an ETag",
                        "the upload was aborted; try again");
            }
            done = true;
            return new ObjectInfo(key, size, Instant.now());
        } catch (IOException e) {
            throw StoreErrors.sourceUnreadable(key, settings.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LifeboatException(
                    ErrorCode.CANCELLED,
                    "upload of '" + key + "' to " + settings.describe() + " was interrupted",
                    null);
        } finally {
            if (!done) {
                settle(parts);
                abort(key, k, uploadId);
            }
        }
    }

    private CompletableFuture<CompletedPart> uploadPart(String k, String uploadId, int n, byte[] block) {
        UploadPartRequest.Builder req = UploadPartRequest.builder()
                .bucket(settings.bucket())
                .key(k)
                .uploadId(uploadId)
                .partNumber(n)
                .contentLength((long) block.length);
        if (settings.checksums()) {
            req.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        return client.uploadPart(req.build(), AsyncRequestBody.fromBytesUnsafe(block))
                .thenApply(r -> CompletedPart.builder()
                        .partNumber(n)
                        .eTag(r.eTag())
                        .checksumCRC32(settings.checksums() ? r.checksumCRC32() : null)
                        .build());
    }

    /** Waits for every part in flight to finish either way, so an abort leaves no part behind. */
    private static void settle(List<CompletableFuture<CompletedPart>> parts) {
        for (CompletableFuture<CompletedPart> p : parts) {
            try {
                p.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | CancellationException e) {
                // the first failure is already recorded
            }
        }
    }

    private void abort(String key, String k, String uploadId) {
        try {
            client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(k).uploadId(uploadId))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn(
                    "abort of the upload of '{}' to {} was interrupted; {}", key, settings.describe(), lifecycleHint());
        } catch (ExecutionException e) {
            LifeboatException t = errors.translate("AbortMultipartUpload", key, e.getCause());
            if (t.code() != ErrorCode.NOT_FOUND) {
                LOG.warn("{}; {}", t.getMessage(), lifecycleHint());
            }
        }
    }

    private static String lifecycleHint() {
        return "its parts stay billed until a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes them";
    }

    /** The size of part {@code n}: part_size, doubled past part 5,000 and again past 7,500. */
    private int partSize(int n) {
        long base = settings.partSize();
        return (int) (n <= 5000 ? base : n <= 7500 ? base * 2 : base * 4);
    }

    /**
     * Reads up to {@code limit} bytes, fewer only at the end of the stream. What the stream throws
     * is the caller's failure and passes through unchanged (IOExceptions as STORE_UNAVAILABLE).
     */
    private byte[] read(InputStream in, int limit, String key) {
        byte[] buf = new byte[Math.min(limit, 1 << 16)];
        int len = 0;
        try {
            while (len < limit) {
                if (len == buf.length) {
                    // grow geometrically: a small manifest should not cost a whole part's buffer
                    buf = Arrays.copyOf(buf, (int) Math.min(limit, (long) buf.length * 4));
                }
                int r = in.read(buf, len, buf.length - len);
                if (r < 0) {
                    break;
                }
                len += r;
            }
        } catch (IOException e) {
            throw StoreErrors.sourceUnreadable(key, settings.describe(), e);
        }
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }
}
