package dev.lifeboat.core.catalog;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.store.local.LocalBackupStore;
import dev.lifeboat.core.testing.SampleManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir
    Path dir;

    /** The local store in {@code dir}, fresh for each test. */
    private LocalBackupStore store;

    /** The catalog over {@link #store} that each test works on. */
    private Catalog catalog;

    @BeforeEach
    void openACatalogOverALocalStore() {
        store = new LocalBackupStore(dir);
        catalog = new Catalog(store);
    }

    /** The id of a backup of {@code database} taken at {@code time} (an ISO-8601 instant). */
    private static BackupId backupOf(String database, String time) {
        return BackupId.generate(database, Instant.parse(time));
    }

    private Manifest manifest(BackupId id) {
        return SampleManifest.of(id)
                .label("label")
                .tags(Map.of("k", "v"))
                .tables(new TableSummary("public", "t", 3, false))
                .build();
    }

    @Test
    void dataWithoutAManifestIsNeverListed() {
        BackupId id = backupOf("app", "2026-11-22T07:00:00Z");
        catalog.putData(id, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertThat(catalog.list(null)).isEmpty();
        assertThat(catalog.find(id)).isEmpty();
        catalog.commit(manifest(id));
        assertThat(catalog.list(null)).extracting(Manifest::id).containsExactly(id.value());
        assertThat(catalog.find(id)).contains(manifest(id));
    }

    @Test
    void aManifestIsCommittedOnlyOnce() {
        BackupId id = backupOf("app", "2026-11-22T07:00:00Z");
        catalog.commit(manifest(id));
        refused(ErrorCode.ALREADY_EXISTS, () -> catalog.commit(manifest(id)));
    }

    @Test
    void listIsNewestFirstAndFiltersByDatabase() {
        BackupId a = backupOf("app", "2026-11-20T07:00:00Z");
        BackupId b = backupOf("app", "2026-11-21T07:00:00Z");
        BackupId o = backupOf("other", "2026-11-22T07:00:00Z");
        for (BackupId id : List.of(a, b, o)) {
            catalog.commit(manifest(id));
        }
        assertThat(catalog.list(null)).extracting(Manifest::id).containsExactly(o.value(), b.value(), a.value());
        assertThat(catalog.list("app")).extracting(Manifest::id).containsExactly(b.value(), a.value());
    }

    @Test
    void anUnreadableManifestIsSkippedByListAndReportedByFind() throws IOException {
        BackupId good = backupOf("app", "2026-11-20T07:00:00Z");
        BackupId bad = backupOf("app", "2026-11-21T07:00:00Z");
        catalog.commit(manifest(good));
        Files.writeString(manifestFile(bad), "{ not json", StandardCharsets.UTF_8);
        assertThat(catalog.list(null)).extracting(Manifest::id).containsExactly(good.value());
        refused(ErrorCode.INTEGRITY_FAILED, () -> catalog.find(bad));
    }

    @Test
    void aManifestMovedUnderAnotherIdIsRefused() throws IOException {
        BackupId real = backupOf("app", "2026-11-20T07:00:00Z");
        BackupId other = backupOf("app", "2026-11-21T07:00:00Z");
        catalog.commit(manifest(real));
        Files.copy(dir.resolve(Catalog.manifestKey(real)), manifestFile(other));
        assertThatThrownBy(() -> catalog.find(other)).hasMessageContaining("names backup");
        assertThat(catalog.list(null)).extracting(Manifest::id).containsExactly(real.value());
    }

    @Test
    void deleteRemovesTheManifestFirstAndEverythingUnderTheBackup() {
        BackupId id = backupOf("app", "2026-11-20T07:00:00Z");
        catalog.putData(id, new ByteArrayInputStream(new byte[] {1}));
        catalog.commit(manifest(id));
        store.put(Catalog.prefix(id) + "drills/x.json", new ByteArrayInputStream(new byte[] {2}), true);
        catalog.delete(id);
        assertThat(store.list("")).isEmpty();
    }

    /** Where {@code id}'s manifest lies in the store under {@code dir}, its folder made: to plant one by hand. */
    private Path manifestFile(BackupId id) throws IOException {
        Path f = dir.resolve(Catalog.manifestKey(id));
        Files.createDirectories(f.getParent());
        return f;
    }
}
