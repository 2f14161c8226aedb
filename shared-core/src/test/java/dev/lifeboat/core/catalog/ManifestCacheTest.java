package dev.lifeboat.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.store.StoreCapabilities;
import dev.lifeboat.core.store.local.LocalBackupStore;
import dev.lifeboat.core.testing.SampleManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing through the manifest cache: the store's listing decides what exists, the cache only saves reads. */
class ManifestCacheTest {
    @TempDir
    Path storeDir;

    @TempDir
    Path stateDir;

    private CountingStore store;
    private ManifestCache cache;

    @BeforeEach
    void open() {
        store = new CountingStore(new LocalBackupStore(storeDir));
        cache = ManifestCache.in(stateDir, store);
    }

    private static Manifest manifest(BackupId id, String label) {
        return SampleManifest.of(id)
                .label(label)
                .tags(Map.of("k", "v"))
                .tables(new TableSummary("public", "t", 3, false))
                .build();
    }

    private BackupId backup(String database, String when, String label) {
        BackupId id = BackupId.generate(database, Instant.parse(when));
        Catalog c = new Catalog(store);
        c.putData(id, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        c.commit(manifest(id, label));
        return id;
    }

    private List<String> listed(String database) {
        return new Catalog(store, cache)
                .list(database).stream().map(Manifest::id).toList();
    }

    @Test
    void aSecondListingReadsNoManifestFromTheStore() {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        BackupId b = backup("app", "2026-11-21T07:00:00Z", "b");
        List<Manifest> first = new Catalog(store, cache).list(null);
        assertThat(store.gets).hasSize(2);
        assertThat(Files.isRegularFile(cache.file())).isTrue();

        store.gets.clear();
        List<Manifest> second = new Catalog(store, cache).list(null);
        assertThat(store.gets).isEmpty();
        assertThat(second).isEqualTo(first).extracting(Manifest::id).containsExactly(b.value(), a.value());
    }

    @Test
    void aBackupDeletedByAnotherProcessIsNotListedThoughItIsCached() {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        BackupId b = backup("app", "2026-11-21T07:00:00Z", "b");
        assertThat(listed(null)).containsExactly(b.value(), a.value());

        new Catalog(new LocalBackupStore(storeDir)).delete(b); // another process, no cache
        assertThat(listed(null)).containsExactly(a.value());
        assertThat(cache.load()).containsOnlyKeys(Catalog.manifestKey(a));
    }

    @Test
    void aHalfWrittenBackupIsNeverListed() {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        assertThat(listed(null)).containsExactly(a.value());
        BackupId half = BackupId.generate("app", Instant.parse("2026-11-22T07:00:00Z"));
        new Catalog(store).putData(half, new ByteArrayInputStream(new byte[] {1}));
        assertThat(listed(null)).containsExactly(a.value());
    }

    @Test
    void aNewBackupIsListedAndAddedToTheCache() {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        assertThat(listed(null)).containsExactly(a.value());
        BackupId b = backup("app", "2026-11-21T07:00:00Z", "b");
        store.gets.clear();
        assertThat(listed(null)).containsExactly(b.value(), a.value());
        assertThat(store.gets).containsExactly(Catalog.manifestKey(b));
    }

    @Test
    void aManifestPutBackUnderTheSameKeyWithOtherContentIsReadAgain() {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "short");
        assertThat(new Catalog(store, cache).list(null))
                .extracting(Manifest::label)
                .containsExactly("short");
        Catalog plain = new Catalog(store);
        plain.delete(a);
        plain.putData(a, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        plain.commit(manifest(a, "a longer label than before"));
        assertThat(new Catalog(store, cache).list(null))
                .extracting(Manifest::label)
                .containsExactly("a longer label than before");
    }

    @Test
    void aCorruptCacheIsRebuiltNotTrusted() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        assertThat(listed(null)).containsExactly(a.value());
        String good = Files.readString(cache.file());

        for (String corrupt : List.of(
                "not json at all",
                good.substring(0, good.length() / 2),
                good.replace("\"label\":\"a\"", "\"label\":1}}}"),
                "")) {
            Files.writeString(cache.file(), corrupt);
            store.gets.clear();
            assertThat(listed(null)).as(corrupt).containsExactly(a.value());
            assertThat(store.gets).as(corrupt).containsExactly(Catalog.manifestKey(a));
            assertThat(cache.load()).as(corrupt).containsOnlyKeys(Catalog.manifestKey(a));
        }
    }

    @Test
    void aCachedEntryThatNamesAnotherBackupThanItsKeyIsNotTrusted() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        BackupId b = backup("app", "2026-11-21T07:00:00Z", "b");
        assertThat(listed(null)).containsExactly(b.value(), a.value());
        // an entry under a's key that holds b's manifest (a hand edit, a bug): the whole file is dropped
        String text = Files.readString(cache.file());
        String swapped = text.replace("\"id\":\"" + a.value() + "\"", "\"id\":\"" + b.value() + "\"");
        assertThat(swapped).isNotEqualTo(text);
        Files.writeString(cache.file(), swapped);
        assertThat(cache.load()).isEmpty();
        assertThat(new Catalog(store, cache).list(null))
                .extracting(Manifest::label)
                .containsExactly("b", "a");
    }

    @Test
    void aCacheWrittenForAnotherStoreIsIgnored() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        assertThat(listed(null)).containsExactly(a.value());
        String text = Files.readString(cache.file());
        Files.writeString(cache.file(), text.replace(store.describe(), "file:///somewhere/else"));
        assertThat(cache.load()).isEmpty();
        assertThat(listed(null)).containsExactly(a.value());
    }

    @Test
    void aCacheWrittenByAnotherLifeboatVersionIsIgnored() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        assertThat(listed(null)).containsExactly(a.value());
        String text = Files.readString(cache.file());
        String other =
                text.replaceFirst("\"writer\":\"[^\"]*\"", "\"writer\":\"lifeboat 0.0.1, manifest formats to 1\"");
        assertThat(other).isNotEqualTo(text);
        Files.writeString(cache.file(), other);
        assertThat(cache.load()).isEmpty();
        store.gets.clear();
        assertThat(listed(null)).containsExactly(a.value());
        assertThat(store.gets).containsExactly(Catalog.manifestKey(a));
        assertThat(cache.load()).containsOnlyKeys(Catalog.manifestKey(a));
    }

    @Test
    void aListingOfOneDatabaseKeepsTheOtherDatabasesEntries() {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        BackupId o = backup("other", "2026-11-21T07:00:00Z", "o");
        assertThat(listed(null)).containsExactly(o.value(), a.value());
        new Catalog(new LocalBackupStore(storeDir)).delete(a);
        assertThat(listed("other")).containsExactly(o.value());
        assertThat(cache.load()).containsOnlyKeys(Catalog.manifestKey(a), Catalog.manifestKey(o));
        assertThat(listed("app")).isEmpty();
        assertThat(cache.load()).containsOnlyKeys(Catalog.manifestKey(o));
    }

    @Test
    void anUnreadableManifestIsSkippedEveryTimeWithoutRewritingTheCache() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        BackupId bad = BackupId.generate("app", Instant.parse("2026-11-21T07:00:00Z"));
        Files.createDirectories(storeDir.resolve("app").resolve(bad.value()));
        Files.writeString(storeDir.resolve(Catalog.manifestKey(bad)), "{not json");
        assertThat(listed(null)).containsExactly(a.value());
        var written = Files.getLastModifiedTime(cache.file());
        var inode = Files.readAttributes(cache.file(), java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
        assertThat(listed(null)).containsExactly(a.value());
        assertThat(Files.readAttributes(cache.file(), java.nio.file.attribute.BasicFileAttributes.class)
                        .fileKey())
                .isEqualTo(inode);
        assertThat(Files.getLastModifiedTime(cache.file())).isEqualTo(written);
    }

    @Test
    void aStateDirThatCannotBeWrittenOnlyCostsSpeed() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        Path file = stateDir.resolve("not-a-dir");
        Files.writeString(file, "x");
        ManifestCache blocked = ManifestCache.in(file, store);
        assertThat(new Catalog(store, blocked).list(null))
                .extracting(Manifest::id)
                .containsExactly(a.value());
        assertThat(new Catalog(store, blocked).list(null))
                .extracting(Manifest::id)
                .containsExactly(a.value());
    }

    @Test
    void theCacheFileIsReadableByItsOwnerOnly() throws IOException {
        backup("app", "2026-11-20T07:00:00Z", "a");
        listed(null);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(cache.file(), StandardCharsets.UTF_8))
                .startsWith("{\"cache\":\"lifeboat-manifests\"");
    }

    /** A real local store that records which objects were read. */
    private static final class CountingStore implements BackupStore {
        private final BackupStore inner;
        final List<String> gets = new ArrayList<>();

        CountingStore(BackupStore inner) {
            this.inner = inner;
        }

        @Override
        public StoreCapabilities capabilities() {
            return inner.capabilities();
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public ObjectInfo put(String key, InputStream data, boolean createOnly) {
            return inner.put(key, data, createOnly);
        }

        @Override
        public InputStream get(String key) {
            gets.add(key);
            return inner.get(key);
        }

        @Override
        public Optional<ObjectInfo> stat(String key) {
            return inner.stat(key);
        }

        @Override
        public List<ObjectInfo> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public void delete(String key) {
            inner.delete(key);
        }
    }
}
