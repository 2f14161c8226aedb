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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir
    Path dir;

    private Manifest manifest(BackupId id) {
        return SampleManifest.of(id)
                .label("label")
                .tags(Map.of("k", "v"))
                .tables(new TableSummary("public", "t", 3, false))
                .build();
    }

    @Test
    void dataWithoutAManifestIsNeverListed() {
        Catalog c = new Catalog(new LocalBackupStore(dir));
        BackupId id = BackupId.generate("app", Instant.parse("2026-11-22T07:00:00Z"));
        c.putData(id, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertThat(c.list(null)).isEmpty();
        assertThat(c.find(id)).isEmpty();
        c.commit(manifest(id));
        assertThat(c.list(null)).extracting(Manifest::id).containsExactly(id.value());
        assertThat(c.find(id)).contains(manifest(id));
    }

    @Test
    void aManifestIsCommittedOnlyOnce() {
        Catalog c = new Catalog(new LocalBackupStore(dir));
        BackupId id = BackupId.generate("app", Instant.parse("2026-11-22T07:00:00Z"));
        c.commit(manifest(id));
        refused(ErrorCode.ALREADY_EXISTS, () -> c.commit(manifest(id)));
    }

    @Test
    void listIsNewestFirstAndFiltersByDatabase() {
        Catalog c = new Catalog(new LocalBackupStore(dir));
        BackupId a = BackupId.generate("app", Instant.parse("2026-11-20T07:00:00Z"));
        BackupId b = BackupId.generate("app", Instant.parse("2026-11-21T07:00:00Z"));
        BackupId o = BackupId.generate("other", Instant.parse("2026-11-22T07:00:00Z"));
        for (BackupId id : List.of(a, b, o)) {
            c.commit(manifest(id));
        }
        assertThat(c.list(null)).extracting(Manifest::id).containsExactly(o.value(), b.value(), a.value());
        assertThat(c.list("app")).extracting(Manifest::id).containsExactly(b.value(), a.value());
    }

    @Test
    void anUnreadableManifestIsSkippedByListAndReportedByFind() throws IOException {
        Catalog c = new Catalog(new LocalBackupStore(dir));
        BackupId good = BackupId.generate("app", Instant.parse("2026-11-20T07:00:00Z"));
        BackupId bad = BackupId.generate("app", Instant.parse("2026-11-21T07:00:00Z"));
        c.commit(manifest(good));
        Files.writeString(manifestFile(bad), "{ not json", StandardCharsets.UTF_8);
        assertThat(c.list(null)).extracting(Manifest::id).containsExactly(good.value());
        refused(ErrorCode.INTEGRITY_FAILED, () -> c.find(bad));
    }

    @Test
    void aManifestMovedUnderAnotherIdIsRefused() throws IOException {
        Catalog c = new Catalog(new LocalBackupStore(dir));
        BackupId real = BackupId.generate("app", Instant.parse("2026-11-20T07:00:00Z"));
        BackupId other = BackupId.generate("app", Instant.parse("2026-11-21T07:00:00Z"));
        c.commit(manifest(real));
        Files.copy(dir.resolve(Catalog.manifestKey(real)), manifestFile(other));
        assertThatThrownBy(() -> c.find(other)).hasMessageContaining("names backup");
        assertThat(c.list(null)).extracting(Manifest::id).containsExactly(real.value());
    }

    @Test
    void deleteRemovesTheManifestFirstAndEverythingUnderTheBackup() {
        LocalBackupStore store = new LocalBackupStore(dir);
        Catalog c = new Catalog(store);
        BackupId id = BackupId.generate("app", Instant.parse("2026-11-20T07:00:00Z"));
        c.putData(id, new ByteArrayInputStream(new byte[] {1}));
        c.commit(manifest(id));
        store.put(Catalog.prefix(id) + "drills/x.json", new ByteArrayInputStream(new byte[] {2}), true);
        c.delete(id);
        assertThat(store.list("")).isEmpty();
    }

    /** Where {@code id}'s manifest lies in the store under {@code dir}, its folder made: to plant one by hand. */
    private Path manifestFile(BackupId id) throws IOException {
        Path f = dir.resolve(Catalog.manifestKey(id));
        Files.createDirectories(f.getParent());
        return f;
    }
}
