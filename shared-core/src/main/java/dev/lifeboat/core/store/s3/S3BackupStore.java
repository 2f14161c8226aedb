package dev.lifeboat.core.store.s3;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Secret;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.store.StoreCapabilities;
import dev.lifeboat.core.store.StoreKeys;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * A store in an S3 bucket (or an S3-compatible one: MinIO, Ceph RGW, Cloudflare R2, Backblaze B2),
 * under an optional key prefix.
 *
 * <p>Writes stream: an object that fits in one part is sent with a single PutObject; a longer one
 * goes up as a multipart upload whose parts are read from the stream one at a time into buffers of
 * {@code part_size} bytes, at most {@code max_in_flight} of them uploading at once, so memory stays
 * near {@code part_size × (max_in_flight + 1)} whatever the object's size. Past 5,000 parts the part
 * size doubles, and again past 7,500, so one object can reach S3's 5 TB limit within its 10,000
 * parts. On any failure (the stream, a part, the completion) the upload is aborted after every part
 * in flight has settled, so no parts are left behind and nothing is listed.
 *
 * <p>Create-only writes check that the key is free, then send {@code If-None-Match: *} when the
 * server honours it (probed once per store, see {@link #capabilities()}), so two writers cannot both
 * commit the same key. Reads are plain whole-object GETs streamed to the caller. Transient failures
 * are retried by the SDK's standard strategy (exponential backoff with jitter, {@code max_attempts}
 * attempts); permanent ones fail at once with the bucket, key and operation named.
 */
public final class S3BackupStore implements BackupStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3BackupStore.class);
    static final String PROBE_PREFIX = ".lifeboat-probe/";
    private static final int MAX_PARTS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3Settings settings;
    private final S3AsyncClient client;
    private final EventLoopGroup eventLoops;
    private volatile Boolean conditionalWrites;

    S3BackupStore(S3Settings settings, S3AsyncClient client, EventLoopGroup eventLoops) {
        this.settings = settings;
        this.client = client;
        this.eventLoops = eventLoops;
        this.conditionalWrites = switch (settings.conditionalWrites()) {
            case "on" -> Boolean.TRUE;
            case "off" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Opens the store a config entry names, with credentials from {@code env} or the SDK's chain. */
    public static S3BackupStore open(StoreConfig config, Map<String, String> env) {
        S3Settings s = S3Settings.parse(config);
        AwsCredentialsProvider credentials = credentials(s, env);
        Region region = region(s);
        // our own event loops, so close() need not wait out the shared group's 2 s quiet period
        EventLoopGroup loops = new NioEventLoopGroup(2, new DefaultThreadFactory("lifeboat-s3", true));
        try {
            return new S3BackupStore(s, client(s, credentials, region, loops), loops);
        } catch (RuntimeException e) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    static S3AsyncClient client(S3Settings s, AwsCredentialsProvider credentials, Region region, EventLoopGroup loops) {
        S3AsyncClientBuilder b = S3AsyncClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(s.pathStyle())
                .requestChecksumCalculation(
                        s.checksums()
                                ? RequestChecksumCalculation.WHEN_SUPPORTED
                                : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(
                        s.checksums()
                                ? ResponseChecksumValidation.WHEN_SUPPORTED
                                : ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroup(SdkEventLoopGroup.create(loops))
                        .maxConcurrency(Math.max(16, s.maxInFlight() * 2 + 8))
                        .connectionTimeout(Duration.ofSeconds(10))
                        // a busy event loop (wire logging at DEBUG) must not fail parts waiting for a connection
                        .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                        .readTimeout(Duration.ofSeconds(120))
                        .writeTimeout(Duration.ofSeconds(120)))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(s.maxAttempts())));
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint());
        }
        return b.build();
    }

    static AwsCredentialsProvider credentials(S3Settings s, Map<String, String> env) {
        if (s.accessKeyIdEnv() != null) {
            String id = requireEnv(s, env, "access_key_id_env", s.accessKeyIdEnv());
            Secret secret = Secret.of(requireEnv(s, env, "secret_access_key_env", s.secretAccessKeyEnv()));
            if (s.sessionTokenEnv() != null) {
                Secret token = Secret.of(requireEnv(s, env, "session_token_env", s.sessionTokenEnv()));
                return StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(id, secret.reveal(), token.reveal()));
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret.reveal()));
        }
        if (s.profile() != null) {
            return ProfileCredentialsProvider.create(s.profile());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String requireEnv(S3Settings s, Map<String, String> env, String setting, String name) {
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "stores." + s.storeName() + "." + setting + ": environment variable " + name + " is not set",
                    "export " + name + " before running lifeboat, or remove " + setting
                            + " to use the AWS default credential chain");
        }
        return v;
    }

    static Region region(S3Settings s) {
        if (s.region() != null) {
            return Region.of(s.region());
        }
        if (s.endpoint() != null) {
            // S3-compatible stores mostly ignore the region but SigV4 needs one
            return Region.US_EAST_1;
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "stores." + s.storeName() + ".region: not set, and none found in AWS_REGION or the AWS profile",
                    "add ?region=<the bucket's region> to the store URI or 'region:' to the store");
        }
    }

    public S3Settings settings() {
        return settings;
    }

    /**
     * Declares {@code conditionalCreate} only when the server was seen to refuse a second
     * {@code If-None-Match: *} write (or {@code conditional_writes: on}); otherwise create-only
     * writes fall back to check-then-put, which two racing writers can both pass.
     */
    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(conditionalWrites(), false, true);
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    @Override
    public ObjectInfo put(String key, InputStream data, boolean createOnly) {
        StoreKeys.requireValid(key);
        String k = objectKey(key);
        boolean ifNoneMatch = false;
        if (createOnly) {
            ifNoneMatch = conditionalWrites();
            // fail before sending gigabytes when the key is taken; If-None-Match closes the race
            if (head(key).isPresent()) {
                throw alreadyExists(key);
            }
        }
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
            await(client.putObject(req.build(), AsyncRequestBody.fromBytesUnsafe(first)), "PutObject", key);
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
        String uploadId = await(client.createMultipartUpload(create.build()), "CreateMultipartUpload", key)
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
                                "cannot put '" + key + "' in " + describe() + ": it is larger than " + MAX_PARTS
                                        + " parts",
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
                throw translate("UploadPart", key, failure.get());
            }
            List<CompletedPart> completed =
                    parts.stream().map(CompletableFuture::join).toList();
            CompleteMultipartUploadResponse r = await(
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
                        "cannot put '" + key + "' in " + describe()
                                + " (CompleteMultipartUpload): the server answered without an ETag",
                        "the upload was aborted; try again");
            }
            done = true;
            return new ObjectInfo(key, size, Instant.now());
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot put '" + key + "' in " + describe() + ": reading the data failed: " + e.getMessage(),
                    null,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LifeboatException(
                    ErrorCode.CANCELLED, "upload of '" + key + "' to " + describe() + " was interrupted", null);
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
            LOG.warn("abort of the upload of '{}' to {} was interrupted; {}", key, describe(), lifecycleHint());
        } catch (ExecutionException e) {
            LifeboatException t = translate("AbortMultipartUpload", key, e.getCause());
            if (t.code() != ErrorCode.NOT_FOUND) {
                LOG.warn("{}; {}", t.getMessage(), lifecycleHint());
            }
        }
    }

    private static String lifecycleHint() {
        return "its parts stay billed until a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes them";
    }

    @Override
    public InputStream get(String key) {
        StoreKeys.requireValid(key);
        return await(
                client.getObject(
                        b -> b.bucket(settings.bucket()).key(objectKey(key)),
                        AsyncResponseTransformer.toBlockingInputStream()),
                "GetObject",
                key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        StoreKeys.requireValid(key);
        return head(key);
    }

    private Optional<ObjectInfo> head(String key) {
        try {
            HeadObjectResponse r =
                    await(client.headObject(b -> b.bucket(settings.bucket()).key(objectKey(key))), "HeadObject", key);
            return Optional.of(new ObjectInfo(key, r.contentLength(), r.lastModified()));
        } catch (LifeboatException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        String p = StoreKeys.requireValidPrefix(prefix);
        String root = settings.prefix().isEmpty() ? "" : settings.prefix() + "/";
        String full = root + p;
        List<ObjectInfo> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response r = await(
                    client.listObjectsV2(
                            b -> b.bucket(settings.bucket()).prefix(full).continuationToken(t)),
                    "ListObjectsV2",
                    p.isEmpty() ? "(all)" : p);
            for (S3Object o : r.contents()) {
                String rel = o.key().substring(root.length());
                // folder markers made by consoles, and our own probe, are not objects of the store
                if (rel.isEmpty() || rel.endsWith("/") || rel.startsWith(PROBE_PREFIX)) {
                    continue;
                }
                out.add(new ObjectInfo(rel, o.size(), o.lastModified()));
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void delete(String key) {
        StoreKeys.requireValid(key);
        try {
            await(client.deleteObject(b -> b.bucket(settings.bucket()).key(objectKey(key))), "DeleteObject", key);
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        client.close();
        // a short quiet period lets the client's last channel-close tasks run before the loops stop
        eventLoops.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    String objectKey(String key) {
        return settings.prefix().isEmpty() ? key : settings.prefix() + "/" + key;
    }

    /** The size of part {@code n}: part_size, doubled past part 5,000 and again past 7,500. */
    int partSize(int n) {
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
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot put '" + key + "' in " + describe() + ": reading the data failed: " + e.getMessage(),
                    null,
                    e);
        }
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    /** True when the server refuses a second If-None-Match: * write; probed once, with a throwaway key. */
    private boolean conditionalWrites() {
        Boolean known = conditionalWrites;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (conditionalWrites != null) {
                return conditionalWrites;
            }
            String probe = PROBE_PREFIX + HexFormat.of().formatHex(randomBytes());
            try {
                putProbe(probe);
                boolean refused;
                try {
                    putProbe(probe);
                    refused = false;
                } catch (LifeboatException e) {
                    if (e.code() != ErrorCode.ALREADY_EXISTS) {
                        throw e;
                    }
                    refused = true;
                }
                conditionalWrites = refused;
                LOG.debug("{} {} If-None-Match writes", describe(), refused ? "honours" : "ignores");
                return refused;
            } catch (LifeboatException e) {
                if (e.getMessage().contains("NotImplemented") || e.getMessage().contains(" 501 ")) {
                    conditionalWrites = false;
                } else {
                    LOG.debug("could not probe {} for conditional writes: {}", describe(), e.getMessage());
                }
                return false;
            } finally {
                try {
                    delete(probe);
                } catch (LifeboatException e) {
                    LOG.debug("could not remove the probe object: {}", e.getMessage());
                }
            }
        }
    }

    private void putProbe(String probe) {
        await(
                client.putObject(
                        b -> b.bucket(settings.bucket())
                                .key(objectKey(probe))
                                .contentLength(0L)
                                .ifNoneMatch("*"),
                        AsyncRequestBody.fromBytes(new byte[0])),
                "PutObject",
                probe);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private <T> T await(CompletableFuture<T> f, String operation, String key) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new LifeboatException(
                    ErrorCode.CANCELLED, operation + " of '" + key + "' in " + describe() + " was interrupted", null);
        } catch (ExecutionException | CancellationException | CompletionException e) {
            throw translate(operation, key, e.getCause() == null ? e : e.getCause());
        }
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

    private LifeboatException alreadyExists(String key) {
        return new LifeboatException(
                ErrorCode.ALREADY_EXISTS,
                "object '" + key + "' already exists in " + describe(),
                "another writer committed it first; nothing was overwritten");
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
        String where = "s3://" + settings.bucket() + "/" + objectKey(key) + " (" + operation + ")";
        String store = "stores." + settings.storeName();
        if (t instanceof AwsServiceException e) {
            int status = e.statusCode();
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
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
                return new LifeboatException(ErrorCode.NOT_FOUND, "no object '" + key + "' in " + describe(), null);
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
            return new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot reach the object at " + where + ": " + what,
                    status >= 500 || status == 429 || status == 503
                            ? "the store kept failing after " + settings.maxAttempts()
                                    + " attempts; check its status and try again later"
                            : "check the store settings in " + store);
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
}
