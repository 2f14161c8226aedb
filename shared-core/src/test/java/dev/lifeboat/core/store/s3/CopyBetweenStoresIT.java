package dev.lifeboat.core.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.manage.BackupCopier;
import dev.lifeboat.core.manage.BackupCopierTest;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.store.local.LocalBackupStore;
import dev.lifeboat.core.testing.Tampering;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup copied local → S3 → local arrives whole, and a damaged object in S3 is not copied on. */
class CopyBetweenStoresIT {
    private static final OperationContext CONTEXT = new OperationContext("test", "tester", null, null);

    @TempDir
    Path dir;

    @Test
    void aBackupCopiedToS3AndBackKeepsItsIdAndChecksumAndADamagedObjectIsRefused() throws Exception {
        BackupCopier copier = new BackupCopier();
        try (S3ProxyServer server = S3ProxyServer.start();
                BackupStore s3 = BackupStores.open(
                        S3ProxyServer.config(server.endpoint(), server.newBucket(), "offsite", Map.of()),
                        S3ProxyServer.ENV)) {
            BackupStore local = new LocalBackupStore(dir.resolve("local"));
            Manifest m = BackupCopierTest.seed(local, 12 << 20, 7);

            BackupCopier.CopyResult up = copier.copy(m.backupId(), local, s3, CONTEXT);
            assertThat(up.bytes()).isEqualTo(12L << 20);
            assertThat(new Catalog(s3).list(null)).singleElement().satisfies(c -> {
                assertThat(c.id()).isEqualTo(m.id());
                assertThat(c.sha256()).isEqualTo(m.sha256());
            });

            BackupStore back = new LocalBackupStore(dir.resolve("back"));
            copier.copy(m.backupId(), s3, back, CONTEXT);
            assertThat(new Catalog(back).find(m.backupId()))
                    .get()
                    .extracting(Manifest::sha256)
                    .isEqualTo(m.sha256());

            // flip one byte of the dump in S3, leaving its manifest as it was
            Tampering.flipMiddleByte(s3, Catalog.dumpKey(m.backupId()), 0x40);
            BackupStore third = new LocalBackupStore(dir.resolve("third"));
            assertThatThrownBy(() -> copier.copy(m.backupId(), s3, third, CONTEXT))
                    .isInstanceOfSatisfying(LifeboatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_FAILED);
                        assertThat(e.getMessage()).contains(m.sha256());
                    });
            assertThat(third.list("")).isEmpty();
        }
    }
}
