package dev.lifeboat.core.store.gcs;

import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.store.StoreKeys;
import dev.lifeboat.core.store.StoreOptions;
import java.net.URI;
import java.nio.file.Path;

/**
 * The validated settings of one GCS store.
 *
 * @param bucket the bucket
 * @param prefix the object-name prefix under which the store lives ("" for the bucket's root)
 * @param credentialsFile a service-account key file (must be readable by its owner only), or null
 *     for Application Default Credentials
 * @param projectId the project, or null to take it from the credentials
 * @param chunkSize bytes per resumable-upload request; a multiple of 256 KiB, and the memory one
 *     upload holds
 * @param maxAttempts attempts per request for transient failures
 * @param endpoint a host override for emulators (fake-gcs-server), or null for Google
 */
public record GcsSettings(
        String storeName,
        String bucket,
        String prefix,
        Path credentialsFile,
        String projectId,
        int chunkSize,
        int maxAttempts,
        URI endpoint) {

    public static final int CHUNK_GRANULE = 256 * 1024;
    public static final int DEFAULT_CHUNK = 16 << 20;

    /** Reads and validates the store's settings; every problem is reported at once as CONFIG_INVALID. */
    public static GcsSettings parse(StoreConfig config) {
        StoreOptions o = new StoreOptions(config);
        String file = o.string("credentials_file");
        Path credentials = null;
        if (file != null) {
            credentials = Path.of(file.startsWith("~/") ? System.getProperty("user.home") + file.substring(1) : file);
            if (!credentials.isAbsolute()) {
                o.problem("credentials_file", "'" + file + "' must be an absolute path");
                credentials = null;
            }
        }
        String project = o.string("project_id");
        long chunk = o.size("chunk_size", DEFAULT_CHUNK, CHUNK_GRANULE, 1L << 30);
        if (chunk % CHUNK_GRANULE != 0) {
            o.problem("chunk_size", chunk + " bytes is not a multiple of 256KiB");
            chunk = DEFAULT_CHUNK;
        }
        int maxAttempts = o.integer("max_attempts", 6, 1, 20);
        URI endpoint = o.httpEndpoint("endpoint", "must be an http(s) URL without credentials", null);
        o.finish("a gs store");
        return new GcsSettings(
                config.name(),
                config.uri().authority(),
                config.uri().path(),
                credentials,
                project,
                (int) chunk,
                maxAttempts,
                endpoint);
    }

    public String describe() {
        return "gs://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** The bucket's object name for the store's object {@code key}: under the prefix, if there is one. */
    public String objectName(String key) {
        return StoreKeys.inBucket(prefix, key);
    }
}
