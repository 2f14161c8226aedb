package dev.lifeboat.core.store.s3;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.config.StoreUri;
import dev.lifeboat.core.store.BackupStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3SettingsTest {
    @TempDir
    Path dir;

    private static StoreConfig config(String uri, Map<String, String> options) {
        return new StoreConfig("offsite", StoreUri.parse(uri, "stores.offsite.uri"), options);
    }

    @Test
    void defaultsSuitAwsAndUriParametersAreSettings() {
        S3Settings aws = S3Settings.parse(config("s3://bucket/lifeboat/prod?region=eu-west-1", Map.of()));
        assertThat(aws.bucket()).isEqualTo("bucket");
        assertThat(aws.prefix()).isEqualTo("lifeboat/prod");
        assertThat(aws.region()).isEqualTo("eu-west-1");
        assertThat(aws.partSize()).isEqualTo(16L << 20);
        assertThat(aws.maxInFlight()).isEqualTo(4);
        assertThat(aws.pathStyle()).isFalse();
        assertThat(aws.checksums()).isTrue();
        assertThat(aws.sse()).isNull();

        S3Settings minio = S3Settings.parse(
                config("s3://bucket?endpoint=http://minio.local:9000", Map.of("part_size", "64MiB", "sse", "SSE-KMS")));
        assertThat(minio.pathStyle()).isTrue();
        assertThat(minio.checksums()).isFalse();
        assertThat(minio.partSize()).isEqualTo(64L << 20);
        assertThat(minio.sse()).isEqualTo("aws:kms");
        assertThat(minio.describe()).isEqualTo("s3://bucket at http://minio.local:9000");
    }

    @Test
    void everyBadSettingIsNamedAtOnce() {
        LifeboatException e = refused(
                ErrorCode.CONFIG_INVALID,
                () -> S3Settings.parse(config(
                        "s3://bucket?part_size=1MiB",
                        Map.of(
                                "part_sise", "8MiB",
                                "max_in_flight", "0",
                                "storage_class", "DEEP_ARCHIVE",
                                "kms_key_id", "k",
                                "access_key_id_env", "LB_KEY"))));
        assertThat(e.getMessage())
                .contains(
                        "stores.offsite.part_size: 1MiB is outside 5MiB..256MiB",
                        "stores.offsite.part_sise: unknown setting",
                        "stores.offsite.max_in_flight",
                        "stores.offsite.storage_class",
                        "stores.offsite.kms_key_id: needs sse: SSE-KMS",
                        "stores.offsite.secret_access_key_env");
    }

    @Test
    void aSettingGivenTwiceDifferentlyIsRefused() {
        assertThatThrownBy(
                        () -> S3Settings.parse(config("s3://bucket?region=eu-west-1", Map.of("region", "us-east-1"))))
                .hasMessageContaining("stores.offsite.region: given both in the URI");
    }

    @Test
    void tagsAreSentInTheFormS3Expects() {
        S3Settings s = S3Settings.parse(config("s3://b?region=x", Map.of("tags", "owner=data team,env=prod")));
        assertThat(s.tags()).isEqualTo("owner=data%20team&env=prod");
        assertThatThrownBy(() -> S3Settings.parse(
                        config("s3://b?region=x", Map.of("tags", "a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8,i=9,j=10,k=11"))))
                .hasMessageContaining("at most 10 tags");
    }

    @Test
    void credentialsComeFromNamedVariablesAndAMissingOneIsNamedNotShown() {
        StoreConfig c = config(
                "s3://b?region=us-east-1&endpoint=http://127.0.0.1:1",
                Map.of("access_key_id_env", "LB_KEY", "secret_access_key_env", "LB_SECRET"));
        LifeboatException e =
                refused(ErrorCode.CONFIG_INVALID, () -> BackupStores.open(c, Map.of("LB_KEY", "AKIAEXAMPLE")));
        assertThat(e.getMessage())
                .contains("stores.offsite.secret_access_key_env: environment variable LB_SECRET is not set");
        assertThatThrownBy(
                        () -> S3Settings.parse(config("s3://b", Map.of("secret_access_key_env", "wJalr/K7MDENG+bPx"))))
                .hasMessageContaining("is not an environment variable name");
    }

    @Test
    void theConfigFileReportsAMisspeltStoreSettingUpFront() throws IOException {
        Path file = dir.resolve("lifeboat.yaml");
        Files.writeString(file, """
                stores:
                  offsite:
                    uri: s3://bucket/prefix?region=eu-west-1
                    part_sise: 32MiB
                databases:
                  app:
                    host: localhost
                    dbname: app
                    user: app
                """);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // checked after loading, as BackupService.open and 'lifeboat config check' do
        LifeboatException e = refused(
                ErrorCode.CONFIG_INVALID,
                () -> BackupStores.checkSettings(new ConfigLoader(Map.of("HOME", dir.toString())).loadFile(file)));
        assertThat(e.getMessage()).contains("stores.offsite.part_sise: unknown setting");
        assertThat(e.getMessage()).startsWith("config file " + file + " has 1 problem:");
    }
}
