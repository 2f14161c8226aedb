package dev.lifeboat.core.store.s3;

import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.config.StoreUri;
import dev.lifeboat.core.testing.ConfigBuilder;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * A real S3 protocol server (S3Proxy over an in-memory blob store) on 127.0.0.1 inside the test
 * JVM, with SigV4 authentication against a canary secret key that tests grep for in every output.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "LIFEBOATTESTACCESS";
    static final String SECRET_KEY = "canary-s3-secret-7f3a9c2e5b1d";
    static final Map<String, String> ENV = Map.of("LB_TEST_S3_KEY", ACCESS_KEY, "LB_TEST_S3_SECRET", SECRET_KEY);
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3Proxy proxy;
    private final BlobStore blobs;

    private S3ProxyServer(S3Proxy proxy, BlobStore blobs) {
        this.proxy = proxy;
        this.blobs = blobs;
    }

    static S3ProxyServer start() throws Exception {
        BlobStore blobs = BlobStores.create("transient-nio2", new Properties());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        for (int i = 0; i < 200 && !proxy.getState().equals("STARTED"); i++) {
            Thread.sleep(25);
        }
        return new S3ProxyServer(proxy, blobs);
    }

    /** {@link #start}, for a field: {@code @AutoClose static final S3ProxyServer server = S3ProxyServer.started();}. */
    static S3ProxyServer started() {
        try {
            return start();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    int port() {
        return proxy.getPort();
    }

    /** A new, empty bucket. */
    String newBucket() {
        String name = "lifeboat-test-" + BUCKETS.incrementAndGet();
        blobs.createContainer(name);
        return name;
    }

    List<MultipartUpload> multipartUploads(String bucket) {
        return blobs.listMultipartUploads(bucket);
    }

    BlobStore blobs() {
        return blobs;
    }

    /** The URI of a store under {@code prefix} in {@code bucket} on this server, for a configuration file. */
    String storeUri(String bucket, String prefix) {
        return "s3://" + bucket + "/" + prefix + "?region=us-east-1&endpoint=" + endpoint();
    }

    /** A configuration's settings for a store on this server: the test credentials by env name ({@link #ENV}), 5 MiB parts. */
    static void credentials(ConfigBuilder.Store store) {
        store.set("access_key_id_env", "LB_TEST_S3_KEY")
                .set("secret_access_key_env", "LB_TEST_S3_SECRET")
                .set("part_size", "5MiB");
    }

    /** A store config for {@code bucket/prefix} at {@code endpoint}, with the test credentials by env name. */
    static StoreConfig config(URI endpoint, String bucket, String prefix, Map<String, String> extra) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("endpoint", endpoint.toString());
        options.put("region", "us-east-1");
        options.put("access_key_id_env", "LB_TEST_S3_KEY");
        options.put("secret_access_key_env", "LB_TEST_S3_SECRET");
        options.put("part_size", "5MiB");
        options.put("max_in_flight", "2");
        options.putAll(extra);
        String uri = "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        return new StoreConfig("offsite", StoreUri.parse(uri, "stores.offsite.uri"), options);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
