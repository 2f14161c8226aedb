package dev.lifeboat.core.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStoreContract;
import dev.lifeboat.core.store.BackupStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;

/** The S3 adapter keeps the store contract against a real S3 protocol server (S3Proxy) on loopback. */
class S3BackupStoreIT extends BackupStoreContract {
    @AutoClose
    private static final S3ProxyServer server = S3ProxyServer.started();

    private final List<BackupStore> opened = new ArrayList<>();
    private final List<String> buckets = new ArrayList<>();

    @Override
    protected BackupStore store() {
        String bucket = server.newBucket();
        buckets.add(bucket);
        BackupStore s = BackupStores.open(
                S3ProxyServer.config(server.endpoint(), bucket, "backups/prod", Map.of()), S3ProxyServer.ENV);
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStoresAndCheckNoPartsWereLeft() {
        opened.forEach(BackupStore::close);
        for (String b : buckets) {
            assertThat(server.multipartUploads(b))
                    .as("multipart uploads left in %s", b)
                    .isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void anUploadThatNeverCompletedIsAnUnfinishedWriteThatGcCanAbort() {
        String bucket = server.newBucket();
        buckets.add(bucket);
        BackupStore s = BackupStores.open(
                S3ProxyServer.config(server.endpoint(), bucket, "backups/prod", Map.of()), S3ProxyServer.ENV);
        opened.add(s);
        // what a backup killed mid-upload leaves: a multipart upload started and never completed
        try (var sdk = software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build()) {
            sdk.createMultipartUpload(b -> b.bucket(bucket).key("backups/prod/app/app-20261205T010000Z-bbbb/dump"));
        }

        assertThat(s.list("")).isEmpty();
        List<dev.lifeboat.core.store.ObjectInfo> unfinished = s.unfinishedWrites();
        assertThat(unfinished)
                .singleElement()
                .satisfies(o -> assertThat(o.key()).startsWith("app/app-20261205T010000Z-bbbb/dump?uploadId="));

        s.removeUnfinishedWrite(unfinished.get(0).key());
        assertThat(s.unfinishedWrites()).isEmpty();
    }
}
