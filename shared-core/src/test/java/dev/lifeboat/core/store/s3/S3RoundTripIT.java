package dev.lifeboat.core.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.testing.OverSharedCluster;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.Tampering;
import dev.lifeboat.core.verify.VerifyLevel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backup → verify → restore of a real PostgreSQL database through an S3 store (S3Proxy on
 * loopback), and a flipped byte in the stored object makes verify and restore refuse.
 */
class S3RoundTripIT extends OverSharedCluster {
    @Test
    void aBackupInS3VerifiesAndRestoresAndAFlippedByteIsRefused() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start()) {
            String bucket = server.newBucket();
            live = sampleApp("s3src", 500)
                    .config(c -> c.store("offsite", server.storeUri(bucket, "lifeboat"), S3ProxyServer::credentials))
                    .env(S3ProxyServer.ENV);
            LifeboatConfig config = live.load();

            Manifest m;
            try (BackupService service = live.open(config)) {
                m = service.create(new CreateBackupRequest("app", null, "s3", Map.of()), ctx)
                        .manifest();
                assertThat(service.verify(m.id(), null, VerifyLevel.ARCHIVE, ctx)
                                .passed())
                        .isTrue();
                String target = PgCluster.uniqueName("s3dst");
                service.restore(new RestoreRequest(m.id(), null, null, target, RestoreMode.CREATE, null), ctx);
                assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
            }

            // one flipped byte in the stored dump, manifest untouched
            try (BackupStore s3 = BackupStores.open(config.stores().get("offsite"), live.env())) {
                Tampering.flipMiddleByte(s3, Catalog.dumpKey(m.backupId()), 0x01);
            }
            try (BackupService service = live.open(config)) {
                assertThat(service.verify(m.id(), null, VerifyLevel.CHECKSUM, ctx)
                                .passed())
                        .isFalse();
                refusedIntoNew(service, m, ErrorCode.INTEGRITY_FAILED);
            }
        }
    }
}
