package dev.lifeboat.core.store.s3;

import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.config.StoreUri;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStoreContract;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.store.ObjectInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store contract against a real S3 (or S3-compatible) bucket, run only when
 * {@code LIFEBOAT_TEST_S3_URI} is set (e.g. {@code s3://my-bucket/ci?region=eu-west-1}, or with
 * {@code &endpoint=https://...} for MinIO, R2, B2, Ceph). Credentials come from the AWS default
 * chain. Each test writes under a fresh prefix and deletes what it wrote. See docs/stores.md.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_TEST_S3_URI", matches = ".+")
class S3RealCloudIT extends BackupStoreContract {
    private final String run = "lifeboat-test-" + UUID.randomUUID();
    private final List<BackupStore> opened = new ArrayList<>();
    private int n;

    @Override
    protected BackupStore store() {
        StoreUri base = StoreUri.parse(System.getenv("LIFEBOAT_TEST_S3_URI"), "LIFEBOAT_TEST_S3_URI");
        String prefix = (base.path().isEmpty() ? "" : base.path() + "/") + run + "/" + (++n);
        StoreUri uri = new StoreUri(base.scheme(), base.authority(), prefix, base.options());
        BackupStore s = BackupStores.open(new StoreConfig("realcloud", uri, Map.of()), System.getenv());
        opened.add(s);
        return s;
    }

    @Override
    protected int pagingObjectCount() {
        return 1001;
    }

    @AfterEach
    void deleteWhatWasWritten() {
        for (BackupStore s : opened) {
            for (ObjectInfo o : s.list("")) {
                s.delete(o.key());
            }
            s.close();
        }
    }
}
