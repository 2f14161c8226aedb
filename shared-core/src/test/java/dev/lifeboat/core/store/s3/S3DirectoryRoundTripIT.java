package dev.lifeboat.core.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.restore.DirectoryRestoreRequest;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.testing.ConfigBuilder;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.SampleTree;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zstd-compressed directory backup through an encrypting S3 store (S3Proxy on loopback), in multipart size: it
 * verifies at every level and restores the same tree, streamed from the store with no spool file.
 */
class S3DirectoryRoundTripIT {
    @TempDir
    Path dir;

    @Test
    void anEncryptedDirectoryBackupInS3VerifiesAndRestoresTheSameTree() throws Exception {
        Path uploads = SampleTree.create(dir.resolve("uploads"), 12 << 20); // over two 5 MiB parts
        OperationContext ctx = OperationContext.of("test", "tester");
        try (S3ProxyServer server = S3ProxyServer.start()) {
            String bucket = server.newBucket();
            LiveService live = LiveService.in(dir).directory("uploads", uploads).env(S3ProxyServer.ENV);
            Consumer<ConfigBuilder.Store> encryptedS3 = live.encrypted().andThen(S3ProxyServer::credentials);
            live.config(c -> c.store("offsite", server.storeUri(bucket, "lifeboat"), encryptedS3));
            try (BackupService service = live.open()) {
                Manifest m = service.create(new CreateBackupRequest("uploads", null, null, Map.of()), ctx)
                        .manifest();
                assertThat(m.kind()).isEqualTo("directory");
                assertThat(m.encryption()).isNotNull();
                assertThat(m.compression()).isEqualTo("zstd"); // a directory's default: random data stays big
                assertThat(m.sizeBytes()).isGreaterThan(12 << 20);
                for (VerifyLevel level : VerifyLevel.values()) {
                    VerificationReport r = service.verify(m.id(), null, level, ctx);
                    assertThat(r.passed()).as("%s: %s", level, r.checks()).isTrue();
                }
                Path target = dir.resolve("restored");
                DirectoryRestoreResult result = service.restoreDirectory(
                        new DirectoryRestoreRequest(m.id(), null, target.toString(), null), ctx);
                assertThat(result.fileBytes()).isEqualTo(m.directory().fileBytes());
                assertThat(SampleTree.describe(target)).isEqualTo(SampleTree.describe(uploads));
                assertThat(dir.resolve("state/spool")).doesNotExist();
            }
        }
    }
}
