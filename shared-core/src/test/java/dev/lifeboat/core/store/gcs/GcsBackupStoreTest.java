package dev.lifeboat.core.store.gcs;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.config.StoreUri;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStoreContract;
import dev.lifeboat.core.store.BackupStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GCS adapter keeps the store contract against the in-memory {@code LocalStorageHelper}. That
 * double has limits we design around rather than test through: it reports no MD5/CRC32C (we rely on
 * our own SHA-256 anyway), its {@code pageSize} paging returns only the first page (the adapter
 * never sets a page size and follows page tokens with {@code iterateAll}, so the paging test here
 * exercises one page only), and it registers an object's name when an upload opens (the adapter
 * treats an object without a size as unfinalized, and opens the upload only after the first chunk
 * has been read). Real GCS behaviour is covered by GcsRealCloudIT when its variables are set.
 */
class GcsBackupStoreTest extends BackupStoreContract {
    // the double's client warns once per call that it has no application name
    private static final java.util.logging.Logger QUIET =
            java.util.logging.Logger.getLogger("com.google.api.client.googleapis.services.AbstractGoogleClient");

    static {
        QUIET.setLevel(java.util.logging.Level.SEVERE);
    }

    @TempDir
    Path dir;

    private Storage storage;

    @Override
    protected BackupStore store() {
        return store(Map.of("chunk_size", "1MiB"));
    }

    /** The double answers every listing in one page, so many objects prove nothing more than a few. */
    @Override
    protected int pagingObjectCount() {
        return 150;
    }

    private GcsBackupStore store(Map<String, String> options) {
        storage = LocalStorageHelper.customOptions(false).getService();
        StoreConfig config = new StoreConfig("offsite", StoreUri.parse("gs://lifeboat-test/backups", "uri"), options);
        return new GcsBackupStore(GcsSettings.parse(config), storage);
    }

    @Test
    void twoWritersCannotBothCreateTheSameObject() throws IOException {
        GcsBackupStore first = store(Map.of("chunk_size", "1MiB"));
        GcsBackupStore second = new GcsBackupStore(first.settings(), storage);
        // the second writer commits while the first is streaming, after its existence check; the
        // double checks the precondition when the upload opens (after the first chunk), GCS at both ends
        InputStream racing = new RandomStream(3L << 20, 9, null) {
            private boolean raced;

            @Override
            protected void beforeRead(long position) {
                if (!raced && position >= 100 << 10) {
                    raced = true;
                    second.put("app/id/manifest.json", bytes("second"), true);
                }
            }
        };
        refused(ErrorCode.ALREADY_EXISTS, () -> first.put("app/id/manifest.json", racing, true));
        try (InputStream in = first.get("app/id/manifest.json")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
        }
    }

    @Test
    void objectsLiveUnderThePrefix() {
        GcsBackupStore s = store(Map.of());
        assertThat(s.objectName("app/id/dump")).isEqualTo("backups/app/id/dump");
        assertThat(s.describe()).isEqualTo("gs://lifeboat-test/backups");
    }

    @Test
    void aChunkSizeThatIsNotAMultipleOf256KiBIsRefusedNamingTheSetting() {
        LifeboatException e = refused(ErrorCode.CONFIG_INVALID, () -> store(Map.of("chunk_size", "300KiB")));
        assertThat(e.getMessage()).contains("stores.offsite.chunk_size", "256KiB");
    }

    @Test
    void unknownSettingsAreRefusedNamingThem() {
        assertThat(refused(() -> store(Map.of("chunk_sise", "1MiB"))).getMessage())
                .contains("stores.offsite.chunk_sise: unknown setting");
    }

    @Test
    void aCredentialsFileReadableByOthersIsRefused() throws IOException {
        LifeboatException e =
                refused(ErrorCode.CONFIG_INVALID, openWithCredentials("{\"type\":\"service_account\"}", "rw-r--r--"));
        assertThat(e.getMessage()).contains("stores.offsite.credentials_file", "accessible by others");
        assertThat(e.hint()).contains("chmod 600");
    }

    @Test
    void aCredentialsFileThatIsNotAKeyIsRefusedWithoutQuotingIt() throws IOException {
        LifeboatException e = refused(openWithCredentials(
                "{\"type\":\"service_account\",\"private_key\":\"canary-gcs-private-key\"}", "rw-------"));
        assertThat(e.getMessage()).contains("not a readable credentials file");
        assertThat(e.getMessage()).doesNotContain("canary-gcs-private-key");
    }

    /** Opening a store whose {@code credentials_file} holds {@code content} with {@code permissions}. */
    private ThrowingCallable openWithCredentials(String content, String permissions) throws IOException {
        Path key = dir.resolve("sa.json");
        Files.writeString(key, content);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));
        StoreConfig config = new StoreConfig(
                "offsite",
                StoreUri.parse("gs://lifeboat-test/backups", "uri"),
                Map.of("credentials_file", key.toString()));
        return () -> BackupStores.open(config, Map.of());
    }
}
