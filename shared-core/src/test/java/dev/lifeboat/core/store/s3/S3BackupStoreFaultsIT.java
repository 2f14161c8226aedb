package dev.lifeboat.core.store.s3;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStoreContract.RandomStream;
import dev.lifeboat.core.store.BackupStores;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the S3 adapter does when the network, the server or the caller's stream fails, against
 * S3Proxy behind a loopback proxy that breaks connections on cue.
 */
class S3BackupStoreFaultsIT {
    private static final long MIB = 1L << 20;
    private static S3ProxyServer server;
    private static FaultyProxy proxy;
    private String bucket;
    private BackupStore store;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.start();
        proxy = new FaultyProxy(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        server.close();
    }

    @BeforeEach
    void openStore() {
        proxy.heal();
        bucket = server.newBucket();
        store = open(Map.of("max_attempts", "2"), S3ProxyServer.ENV);
    }

    @AfterEach
    void close() {
        store.close();
        assertThat(server.multipartUploads(bucket))
                .as("multipart uploads left behind")
                .isEmpty();
    }

    private BackupStore open(Map<String, String> options, Map<String, String> env) {
        return BackupStores.open(S3ProxyServer.config(proxy.endpoint(), bucket, "lb", options), env);
    }

    @Test
    void anUploadCutMidStreamFailsClearlyAbortsAndARetrySucceeds() throws Exception {
        proxy.cut(FaultyProxy.uploads(), MIB, Integer.MAX_VALUE);
        assertThatThrownBy(() -> store.put("app/id1/dump", new RandomStream(12 * MIB, 1, null), true))
                .isInstanceOfSatisfying(LifeboatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                    assertThat(e.getMessage())
                            .contains("s3://" + bucket + "/lb/app/id1/dump", "UploadPart")
                            .doesNotContain(S3ProxyServer.SECRET_KEY);
                    assertThat(e.hint()).contains("attempts");
                });
        assertThat(server.multipartUploads(bucket)).isEmpty();
        assertThat(store.list("")).isEmpty();
        assertThat(store.stat("app/id1/dump")).isEmpty();

        proxy.heal();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        store.put("app/id1/dump", new RandomStream(12 * MIB, 1, sent), true);
        assertThat(sha256(store.get("app/id1/dump"))).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    @Test
    void aConnectionCutOnceIsRetriedAndTheObjectArrivesWhole() throws Exception {
        proxy.cut(FaultyProxy.uploads(), 2 * MIB, 1);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        store.put("app/id2/dump", new RandomStream(11 * MIB, 2, sent), true);
        assertThat(proxy.faultsFired()).isEqualTo(1);
        assertThat(sha256(store.get("app/id2/dump"))).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    @Test
    void aSmallObjectCutOnceIsRetried() throws Exception {
        proxy.cut(FaultyProxy.uploads(), 10, 1);
        store.put("app/id3/manifest.json", new ByteArrayInputStream("{\"ok\":true}".getBytes()), true);
        assertThat(proxy.faultsFired()).isEqualTo(1);
        try (InputStream in = store.get("app/id3/manifest.json")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void aCompletionAnsweredWith200AndAnErrorBodyIsAFailure() {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>"
                + "<Message>We encountered an internal error. Please try again.</Message>"
                + "<RequestId>TEST</RequestId></Error>";
        proxy.answer(
                FaultyProxy.completions(),
                "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body);
        assertThatThrownBy(() -> store.put("app/id4/dump", new RandomStream(7 * MIB, 4, null), true))
                .isInstanceOfSatisfying(LifeboatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("CompleteMultipartUpload", "app/id4/dump");
                });
        assertThat(proxy.faultsFired()).isPositive();
        proxy.heal();
        assertThat(server.multipartUploads(bucket)).isEmpty();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void aStreamFailingAfterPartsWereSentAbortsTheUploadAndRethrowsTheStreamsFailure() {
        RuntimeException boom = new IllegalStateException("pg_dump died");
        InputStream failing = new RandomStream(20 * MIB, 5, null) {
            @Override
            protected void beforeRead(long position) {
                if (position >= 12 * MIB) {
                    throw boom;
                }
            }
        };
        assertThatThrownBy(() -> store.put("app/id5/dump", failing, true)).isSameAs(boom);
        assertThat(server.multipartUploads(bucket)).isEmpty();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void memoryStaysBoundedByPartSizeAndPartsInFlight() {
        store.close();
        store = open(Map.of("max_in_flight", "1"), S3ProxyServer.ENV);
        long start = proxy.bodyBytes();
        AtomicLong worstLead = new AtomicLong();
        // the stream may run ahead of what the server has received by at most the buffered parts
        InputStream watched = new RandomStream(40 * MIB, 6, null) {
            @Override
            protected void beforeRead(long position) {
                worstLead.accumulateAndGet(position - (proxy.bodyBytes() - start), Math::max);
            }
        };
        store.put("app/id6/dump", watched, true);
        assertThat(worstLead.get()).isLessThanOrEqualTo(2 * 5 * MIB + MIB);
    }

    @Test
    void wrongCredentialsFailAtOnceSayingWhatToCheck() {
        store.close();
        Map<String, String> env = new HashMap<>(S3ProxyServer.ENV);
        env.put("LB_TEST_S3_SECRET", "canary-wrong-secret-0b1c2d3e");
        store = open(Map.of("max_attempts", "5"), env);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> store.put("app/id7/dump", new ByteArrayInputStream(new byte[10]), false))
                .isInstanceOfSatisfying(LifeboatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                    assertThat(e.getMessage())
                            .contains("credentials were refused", bucket, "app/id7/dump", "PutObject")
                            .doesNotContain("canary-wrong-secret-0b1c2d3e");
                    assertThat(e.hint()).contains("secret_access_key_env");
                });
        assertThat((System.nanoTime() - t0) / 1_000_000)
                .as("ms, no retries of a permanent failure")
                .isLessThan(3000);
    }

    @Test
    void aMissingBucketFailsNamingIt() {
        store.close();
        bucket = "no-such-bucket";
        store = open(Map.of(), S3ProxyServer.ENV);
        assertThatThrownBy(() -> store.put("app/id8/dump", new ByteArrayInputStream(new byte[10]), false))
                .isInstanceOfSatisfying(
                        LifeboatException.class,
                        e -> assertThat(e.getMessage()).contains("bucket 'no-such-bucket' does not exist"));
        assertThatThrownBy(() -> store.list("")).isInstanceOf(LifeboatException.class);
        bucket = server.newBucket();
    }

    @Test
    void checkThenPutStillRefusesAnExistingObjectWhenConditionalWritesAreOff() {
        store.close();
        store = open(Map.of("conditional_writes", "off"), S3ProxyServer.ENV);
        assertThat(store.capabilities().conditionalCreate()).isFalse();
        store.put("app/id9/manifest.json", new ByteArrayInputStream("a".getBytes()), true);
        refused(
                ErrorCode.ALREADY_EXISTS,
                () -> store.put("app/id9/manifest.json", new ByteArrayInputStream("b".getBytes()), true));
    }

    @Test
    void twoWritersCannotBothCreateTheSameObject() throws Exception {
        assertThat(store.capabilities().conditionalCreate()).isTrue();
        try (BackupStore second = open(Map.of(), S3ProxyServer.ENV)) {
            // the second writer commits while the first is still streaming, after its existence check
            InputStream racing = new RandomStream(12 * MIB, 11, null) {
                private boolean raced;

                @Override
                protected void beforeRead(long position) {
                    if (!raced && position >= 6 * MIB) {
                        raced = true;
                        second.put("app/id11/dump", new ByteArrayInputStream("second".getBytes()), true);
                    }
                }
            };
            refused(ErrorCode.ALREADY_EXISTS, () -> store.put("app/id11/dump", racing, true));
            try (InputStream in = store.get("app/id11/dump")) {
                assertThat(new String(in.readAllBytes())).isEqualTo("second");
            }
        }
    }

    @Test
    void theConditionalWriteProbeLeavesNothingBehind() {
        boolean declared = store.capabilities().conditionalCreate();
        assertThat(store.list("")).isEmpty();
        assertThat(server.blobs().list(bucket).contents()).isEmpty();
        System.err.println("S3Proxy honours If-None-Match: " + declared);
    }

    @Test
    void encryptionStorageClassAndTagsAreAccepted() throws Exception {
        store.close();
        store = open(
                Map.of("sse", "SSE-S3", "storage_class", "STANDARD_IA", "tags", "owner=lifeboat,env=test"),
                S3ProxyServer.ENV);
        store.put("app/id10/manifest.json", new ByteArrayInputStream("{}".getBytes()), true);
        store.put("app/id10/dump", new RandomStream(6 * MIB, 10, null), true);
        assertThat(store.stat("app/id10/dump")).get().extracting(o -> o.size()).isEqualTo(6 * MIB);
    }

    private static String sha256(InputStream in) throws Exception {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) != -1) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
