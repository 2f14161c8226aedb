package dev.lifeboat.core.store.s3;

import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.store.StoreKeys;
import dev.lifeboat.core.store.StoreOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The validated settings of one S3 store. Credentials are never settings: only the names of the
 * environment variables that hold them, or a profile name.
 *
 * @param bucket the bucket
 * @param prefix the key prefix under which the store lives ("" for the bucket's root)
 * @param region the region, or null to ask the SDK's region chain
 * @param endpoint an endpoint override for S3-compatible stores, or null for AWS
 * @param pathStyle address buckets as {@code endpoint/bucket} instead of {@code bucket.endpoint}
 * @param sse null, "AES256" (SSE-S3) or "aws:kms" (SSE-KMS)
 * @param kmsKeyId the KMS key for SSE-KMS, or null for the bucket's default key
 * @param storageClass an S3 storage class, or null for the bucket's default
 * @param tags object tags in the {@code x-amz-tagging} form ({@code k=v&k2=v2}), or null
 * @param partSize bytes per multipart part (the first part; later parts grow, see S3BackupStore)
 * @param maxInFlight parts uploaded at once; memory is about partSize x (maxInFlight + 1)
 * @param maxAttempts attempts per request for transient failures (throttling, 5xx, resets)
 * @param conditionalWrites "auto" (probe the server once), "on" or "off" for If-None-Match
 * @param checksums send CRC32 checksums with every upload (AWS's default; some S3-compatible stores
 *     reject them, so "auto" turns them off when an endpoint is set)
 * @param accessKeyIdEnv the environment variable holding the access key id, or null
 * @param secretAccessKeyEnv the environment variable holding the secret key, or null
 * @param sessionTokenEnv the environment variable holding a session token, or null
 * @param profile an AWS profile name, or null
 */
public record S3Settings(
        String storeName,
        String bucket,
        String prefix,
        String region,
        URI endpoint,
        boolean pathStyle,
        String sse,
        String kmsKeyId,
        String storageClass,
        String tags,
        long partSize,
        int maxInFlight,
        int maxAttempts,
        String conditionalWrites,
        boolean checksums,
        String accessKeyIdEnv,
        String secretAccessKeyEnv,
        String sessionTokenEnv,
        String profile) {

    public static final long MIN_PART = 5L << 20;
    public static final long MAX_PART = 256L << 20;
    public static final long DEFAULT_PART = 16L << 20;

    /** Reads and validates the store's settings; every problem is reported at once as CONFIG_INVALID. */
    public static S3Settings parse(StoreConfig config) {
        StoreOptions o = new StoreOptions(config);
        String region = o.string("region");
        URI endpoint = o.httpEndpoint(
                "endpoint",
                "must be an http(s) URL such as https://minio.example:9000",
                "must not carry credentials; use access_key_id_env/secret_access_key_env");
        String ep = o.string("endpoint");
        // custom endpoints rarely have wildcard DNS for virtual-host buckets
        boolean pathStyle = o.bool("path_style", ep != null);
        String sse = o.choice("sse", "none", List.of("none", "SSE-S3", "SSE-KMS", "AES256", "aws:kms"));
        sse = switch (sse) {
            case "SSE-S3", "AES256" -> "AES256";
            case "SSE-KMS", "aws:kms" -> "aws:kms";
            default -> null;
        };
        String kmsKeyId = o.string("kms_key_id");
        if (kmsKeyId != null && !"aws:kms".equals(sse)) {
            o.problem("kms_key_id", "needs sse: SSE-KMS");
        }
        String storageClass = o.string("storage_class");
        if (storageClass != null) {
            storageClass = storageClass.toUpperCase(Locale.ROOT);
            if (StorageClass.fromValue(storageClass) == StorageClass.UNKNOWN_TO_SDK_VERSION) {
                o.problem(
                        "storage_class",
                        "'" + storageClass + "' is not an S3 storage class (e.g. STANDARD, STANDARD_IA,"
                                + " INTELLIGENT_TIERING, GLACIER_IR)");
                storageClass = null;
            } else if (List.of("GLACIER", "DEEP_ARCHIVE").contains(storageClass)) {
                o.problem(
                        "storage_class",
                        storageClass + " objects cannot be read without a restore request; use GLACIER_IR or a"
                                + " lifecycle rule instead");
                storageClass = null;
            }
        }
        String tags = tags(o);
        long partSize = o.size("part_size", DEFAULT_PART, MIN_PART, MAX_PART);
        int maxInFlight = o.integer("max_in_flight", 4, 1, 64);
        int maxAttempts = o.integer("max_attempts", 6, 1, 20);
        String conditional = o.choice("conditional_writes", "auto", List.of("auto", "on", "off"));
        String checksumMode = o.choice("checksums", "auto", List.of("auto", "on", "off"));
        boolean checksums = checksumMode.equals("auto") ? ep == null : checksumMode.equals("on");
        String idEnv = o.envName("access_key_id_env");
        String secretEnv = o.envName("secret_access_key_env");
        String tokenEnv = o.envName("session_token_env");
        String profile = o.string("profile");
        if ((idEnv == null) != (secretEnv == null)) {
            o.problem(
                    idEnv == null ? "access_key_id_env" : "secret_access_key_env",
                    "access_key_id_env and secret_access_key_env go together; set both or neither");
        }
        if (tokenEnv != null && idEnv == null) {
            o.problem("session_token_env", "needs access_key_id_env and secret_access_key_env");
        }
        if (profile != null && idEnv != null) {
            o.problem("profile", "give either a profile or access_key_id_env/secret_access_key_env, not both");
        }
        o.finish("an s3 store");
        return new S3Settings(
                config.name(),
                config.uri().authority(),
                config.uri().path(),
                region,
                endpoint,
                pathStyle,
                sse,
                kmsKeyId,
                storageClass,
                tags,
                partSize,
                maxInFlight,
                maxAttempts,
                conditional,
                checksums,
                idEnv,
                secretEnv,
                tokenEnv,
                profile);
    }

    private static String tags(StoreOptions o) {
        String raw = o.string("tags");
        if (raw == null) {
            return null;
        }
        // accept "k=v,k2=v2" and "k=v&k2=v2"; send the URL-encoded form S3 expects in x-amz-tagging
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : raw.split("[,&]")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8)
                    .trim();
            String v = eq < 0
                    ? ""
                    : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
                            .trim();
            if (k.isEmpty() || k.length() > 128 || v.length() > 256) {
                o.problem("tags", "'" + pair + "' is not key=value (key 1-128, value 0-256 characters)");
                return null;
            }
            tags.put(k, v);
        }
        if (tags.size() > 10) {
            o.problem("tags", "S3 allows at most 10 tags per object, got " + tags.size());
            return null;
        }
        StringBuilder sb = new StringBuilder();
        tags.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(encode(k)).append('=').append(encode(v));
        });
        return sb.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The store's URI for messages, with the endpoint for S3-compatible stores. */
    public String describe() {
        String base = "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        return endpoint == null ? base : base + " at " + endpoint;
    }

    /** The bucket's key for the store's object {@code key}: under the prefix, if there is one. */
    public String objectKey(String key) {
        return StoreKeys.inBucket(prefix, key);
    }
}
