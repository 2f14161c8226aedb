package dev.lifeboat.core.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStoreContract;
import dev.lifeboat.core.store.BackupStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The S3 adapter keeps the store contract against a real S3 protocol server (S3Proxy) on loopback. */
class S3BackupStoreIT extends BackupStoreContract {
    private static S3ProxyServer server;
    private final List<BackupStore> opened = new ArrayList<>();
    private final List<String> buckets = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

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
}
