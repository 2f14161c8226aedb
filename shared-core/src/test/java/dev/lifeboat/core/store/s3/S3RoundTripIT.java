package dev.lifeboat.core.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.core.verify.VerifyLevel;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup → verify → restore of a real PostgreSQL database through an S3 store (S3Proxy on
 * loopback), and a flipped byte in the stored object makes verify and restore refuse.
 */
class S3RoundTripIT {
    @TempDir
    Path dir;

    @Test
    void aBackupInS3VerifiesAndRestoresAndAFlippedByteIsRefused() throws Exception {
        PgCluster pg = PgCluster.shared();
        String source = pg.createUniqueDatabase("s3src");
        SampleData.create(pg, source, 500);
        OperationContext ctx = OperationContext.of("test", "tester");
        try (S3ProxyServer server = S3ProxyServer.start()) {
            String bucket = server.newBucket();
            Map<String, String> env = new HashMap<>(S3ProxyServer.ENV);
            env.put("HOME", dir.toString());
            env.put("LB_TEST_PW", pg.password());
            Path f = dir.resolve("lifeboat.yaml");
            Files.writeString(f, """
                    databases:
                      app:
                        host: 127.0.0.1
                        port: %d
                        dbname: %s
                        user: %s
                        sslmode: disable
                        password_env: LB_TEST_PW
                    stores:
                      offsite:
                        uri: s3://%s/lifeboat?region=us-east-1&endpoint=%s
                        access_key_id_env: LB_TEST_S3_KEY
                        secret_access_key_env: LB_TEST_S3_SECRET
                        part_size: 5MiB
                    state_dir: %s
                    """.formatted(
                            pg.port(), source, PgCluster.SUPERUSER, bucket, server.endpoint(), dir.resolve("state")));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            LifeboatConfig config = new ConfigLoader(env).load(f);

            Manifest m;
            try (BackupService service = BackupService.open(config, env)) {
                m = service.create(new CreateBackupRequest("app", null, "s3", Map.of()), ctx)
                        .manifest();
                assertThat(service.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx)
                                .passed())
                        .isTrue();
                String target = pg.createUniqueDatabase("s3dst");
                pg.dropDatabase(target);
                service.restore(new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null), ctx);
                assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
            }

            // one flipped byte in the stored dump, manifest untouched
            try (BackupStore s3 = BackupStores.open(config.stores().get("offsite"), env)) {
                String key = Catalog.dumpKey(m.backupId());
                byte[] bytes;
                try (InputStream in = s3.get(key)) {
                    bytes = in.readAllBytes();
                }
                bytes[bytes.length / 2] ^= 0x01;
                s3.put(key, new ByteArrayInputStream(bytes), false);
            }
            try (BackupService service = BackupService.open(config, env)) {
                assertThat(service.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx)
                                .passed())
                        .isFalse();
                String target = pg.createUniqueDatabase("s3bad");
                pg.dropDatabase(target);
                assertThatThrownBy(() -> service.restore(
                                new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null), ctx))
                        .isInstanceOfSatisfying(
                                LifeboatException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_FAILED));
                assertThat(pg.databaseExists(target)).isFalse();
            }
        }
    }
}
