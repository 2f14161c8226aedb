package dev.lifeboat.core.store.s3;

import dev.lifeboat.core.store.RealCloudContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store contract against a real S3 (or S3-compatible) bucket, run only when
 * {@code LIFEBOAT_TEST_S3_URI} is set (e.g. {@code s3://my-bucket/ci?region=eu-west-1}, or with
 * {@code &endpoint=https://...} for MinIO, R2, B2, Ceph). Credentials come from the AWS default
 * chain. Each test writes under a fresh prefix and deletes what it wrote. See docs/stores.md.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_TEST_S3_URI", matches = ".+")
class S3RealCloudIT extends RealCloudContract {
    S3RealCloudIT() {
        super("LIFEBOAT_TEST_S3_URI");
    }
}
