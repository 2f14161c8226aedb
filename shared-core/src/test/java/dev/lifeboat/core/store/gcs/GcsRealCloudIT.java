package dev.lifeboat.core.store.gcs;

import dev.lifeboat.core.store.RealCloudContract;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store contract against a real Google Cloud Storage bucket, run only when
 * {@code LIFEBOAT_TEST_GCS_URI} is set (e.g. {@code gs://my-bucket/ci}). Credentials come from
 * Application Default Credentials, or the key file named by {@code LIFEBOAT_TEST_GCS_CREDENTIALS_FILE}
 * (mode 0600). Each test writes under a fresh prefix and deletes what it wrote. See docs/stores.md.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_TEST_GCS_URI", matches = ".+")
class GcsRealCloudIT extends RealCloudContract {
    GcsRealCloudIT() {
        super("LIFEBOAT_TEST_GCS_URI");
    }

    @Override
    protected Map<String, String> options() {
        String key = System.getenv("LIFEBOAT_TEST_GCS_CREDENTIALS_FILE");
        return key == null || key.isBlank() ? Map.of() : Map.of("credentials_file", key);
    }
}
