package dev.lifeboat.core.store.s3;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.store.ObjectListing;
import dev.lifeboat.core.store.StoreCapabilities;
import dev.lifeboat.core.store.StoreErrors;
import dev.lifeboat.core.store.StoreKeys;
import io.netty.channel.EventLoopGroup;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A store in an S3 bucket (or an S3-compatible one: MinIO, Ceph RGW, Cloudflare R2, Backblaze B2),
 * under an optional key prefix.
 *
 * <p>Writes stream in bounded memory ({@link S3Upload}): an object that fits in one part is sent
 * with a single PutObject, a longer one as a multipart upload of {@code part_size} parts, at most
 * {@code max_in_flight} of them in flight, aborted on any failure so nothing is left or listed.
 *
 * <p>Create-only writes check that the key is free, then send {@code If-None-Match: *} when the
 * server honours it (probed once per store, see {@link #capabilities()}), so two writers cannot both
 * commit the same key. Reads are plain whole-object GETs streamed to the caller. Transient failures
 * are retried by the SDK's standard strategy (exponential backoff with jitter, {@code max_attempts}
 * attempts); permanent ones fail at once with the bucket, key and operation named ({@link S3Errors}).
 * The client is made by {@link S3Clients}.
 */
public final class S3BackupStore implements BackupStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3BackupStore.class);
    static final String PROBE_PREFIX = ".lifeboat-probe/";
    /** How an unfinished upload's name joins its key and upload id. */
    static final String UPLOAD_ID = "?uploadId=";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3Settings settings;
    private final S3AsyncClient client;
    private final EventLoopGroup eventLoops;
    private final S3Errors errors;
    private final S3Upload upload;
    private volatile Boolean conditionalWrites;

    S3BackupStore(S3Settings settings, S3AsyncClient client, EventLoopGroup eventLoops) {
        this.settings = settings;
        this.client = client;
        this.eventLoops = eventLoops;
        this.errors = new S3Errors(settings);
        this.upload = new S3Upload(settings, client, errors);
        this.conditionalWrites = switch (settings.conditionalWrites()) {
            case "on" -> Boolean.TRUE;
            case "off" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Opens the store a config entry names, with credentials from {@code env} or the SDK's chain. */
    public static S3BackupStore open(StoreConfig config, Map<String, String> env) {
        S3Settings s = S3Settings.parse(config);
        AwsCredentialsProvider credentials = S3Clients.credentials(s, env);
        Region region = S3Clients.region(s);
        EventLoopGroup loops = S3Clients.eventLoops();
        try {
            return new S3BackupStore(s, S3Clients.client(s, credentials, region, loops), loops);
        } catch (RuntimeException e) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
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
        boolean ifNoneMatch = false;
        if (createOnly) {
            ifNoneMatch = conditionalWrites();
            // fail before sending gigabytes when the key is taken; If-None-Match closes the race
            if (head(key).isPresent()) {
                throw errors.alreadyExists(key);
            }
        }
        return upload.put(key, data, ifNoneMatch);
    }

    @Override
    public InputStream get(String key) {
        StoreKeys.requireValid(key);
        return errors.await(
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
            HeadObjectResponse r = errors.await(
                    client.headObject(b -> b.bucket(settings.bucket()).key(objectKey(key))), "HeadObject", key);
            return Optional.of(new ObjectInfo(key, r.contentLength(), r.lastModified()));
        } catch (LifeboatException e) {
            StoreErrors.throwUnlessNotFound(e);
            return Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectListing listing = new ObjectListing(settings.prefix(), prefix);
        String full = listing.backendPrefix();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response r = errors.await(
                    client.listObjectsV2(
                            b -> b.bucket(settings.bucket()).prefix(full).continuationToken(t)),
                    "ListObjectsV2",
                    listing.describe());
            for (S3Object o : r.contents()) {
                String key = listing.key(o.key());
                // folder markers made by consoles, and our own probe, are not objects of the store
                if (key == null || key.startsWith(PROBE_PREFIX)) {
                    continue;
                }
                listing.add(key, o.size(), o.lastModified());
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        return listing.sorted();
    }

    /**
     * Multipart uploads that were started and never completed nor aborted (a backup killed
     * mid-upload: its parts are stored and billed, and no listing shows them), named {@code
     * <key>?uploadId=<id>}, dated when they were initiated; their size is not known without listing
     * their parts and is reported as 0. A write in progress is among them: the caller decides by age.
     */
    @Override
    public List<ObjectInfo> unfinishedWrites() {
        String base = StoreKeys.inBucket(settings.prefix(), "");
        List<ObjectInfo> out = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        boolean more;
        do {
            String k = keyMarker;
            String i = idMarker;
            ListMultipartUploadsResponse r = errors.await(
                    client.listMultipartUploads(b -> b.bucket(settings.bucket())
                            .prefix(base)
                            .keyMarker(k)
                            .uploadIdMarker(i)),
                    "ListMultipartUploads",
                    base);
            for (MultipartUpload u : r.uploads()) {
                String key = u.key().substring(base.length());
                out.add(new ObjectInfo(key + UPLOAD_ID + u.uploadId(), 0, u.initiated()));
            }
            more = Boolean.TRUE.equals(r.isTruncated());
            keyMarker = r.nextKeyMarker();
            idMarker = r.nextUploadIdMarker();
        } while (more && keyMarker != null);
        return out;
    }

    @Override
    public void removeUnfinishedWrite(String name) {
        int at = name.lastIndexOf(UPLOAD_ID);
        if (at <= 0) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT, "'" + name + "' is not an unfinished upload of " + describe(), null);
        }
        String key = name.substring(0, at);
        String uploadId = name.substring(at + UPLOAD_ID.length());
        StoreKeys.requireValid(key);
        try {
            errors.await(
                    client.abortMultipartUpload(
                            b -> b.bucket(settings.bucket()).key(objectKey(key)).uploadId(uploadId)),
                    "AbortMultipartUpload",
                    key);
        } catch (LifeboatException e) {
            StoreErrors.throwUnlessNotFound(e);
        }
    }

    @Override
    public void delete(String key) {
        StoreKeys.requireValid(key);
        try {
            errors.await(
                    client.deleteObject(b -> b.bucket(settings.bucket()).key(objectKey(key))), "DeleteObject", key);
        } catch (LifeboatException e) {
            StoreErrors.throwUnlessNotFound(e);
        }
    }

    @Override
    public void close() {
        client.close();
        // a short quiet period lets the client's last channel-close tasks run before the loops stop
        eventLoops.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    String objectKey(String key) {
        return settings.objectKey(key);
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
        errors.await(
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
}
