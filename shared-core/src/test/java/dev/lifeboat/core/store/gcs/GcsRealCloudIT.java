package dev.lifeboat.core.store.gcs;

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
 * The store contract against a real Google Cloud Storage bucket, run only when
 * {@code LIFEBOAT_TEST_GCS_URI} is set (e.g. {@code gs://my-bucket/ci}). Credentials come from
 * Application Default Credentials, or the key file named by {@code LIFEBOAT_TEST_GCS_CREDENTIALS_FILE}
 * (mode 0600). Each test writes under a fresh prefix and deletes what it wrote. See docs/stores.md.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_TEST_GCS_URI", matches = ".+")
class GcsRealCloudIT extends BackupStoreContract {
    private final String run = "lifeboat-test-" + UUID.randomUUID();
    private final List<BackupStore> opened = new ArrayList<>();
    private int n;

    @Override
    protected BackupStore store() {
        StoreUri base = StoreUri.parse(System.getenv("LIFEBOAT_TEST_GCS_URI"), "LIFEBOAT_TEST_GCS_URI");
        String prefix = (base.path().isEmpty() ? "" : base.path() + "/") + run + "/" + (++n);
        StoreUri uri = new StoreUri(base.scheme(), base.authority(), prefix, base.options());
        String key = System.getenv("LIFEBOAT_TEST_GCS_CREDENTIALS_FILE");
        Map<String, String> options = key == null || key.isBlank() ? Map.of() : Map.of("credentials_file", key);
        BackupStore s = BackupStores.open(new StoreConfig("realcloud", uri, options), System.getenv());
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
