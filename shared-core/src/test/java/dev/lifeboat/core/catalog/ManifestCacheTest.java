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

    /** Asserts that the cache file is not trusted (it loads empty) and that a listing then reads {@code a} from the store. */
    private void assertIgnoredAndReadAgain(BackupId a) {
        assertThat(cache.load()).isEmpty();
        store.gets.clear();
        assertThat(listed(null)).containsExactly(a.value());
        assertThat(store.gets).containsExactly(Catalog.manifestKey(a));
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
        byte[] good = Files.readAllBytes(cache.file());
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x20;
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);

        for (byte[] corrupt : List.of(
                "not a cache at all".getBytes(StandardCharsets.UTF_8),
                java.util.Arrays.copyOf(good, good.length / 2),
                java.util.Arrays.copyOf(good, good.length - 1),
                flipped,
                longer,
                "{\"cache\":\"lifeboat-manifests\",\"version\":1}\n".getBytes(StandardCharsets.UTF_8),
                new byte[0])) {
            String as = new String(corrupt, StandardCharsets.ISO_8859_1);
            Files.write(cache.file(), corrupt);
            store.gets.clear();
            assertThat(listed(null)).as(as).containsExactly(a.value());
            assertThat(store.gets).as(as).containsExactly(Catalog.manifestKey(a));
            assertThat(cache.load()).as(as).containsOnlyKeys(Catalog.manifestKey(a));
        }
    }

    @Test
    void aChangeToAnyByteOfTheCacheIsNoticed() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        listed(null);
        byte[] good = Files.readAllBytes(cache.file());
        for (int i = 0; i < good.length; i++) {
            byte[] changed = good.clone();
            changed[i] ^= 0x01;
            Files.write(cache.file(), changed);
            assertThat(cache.load()).as("byte %d of %d", i, good.length).isEmpty();
        }
        Files.write(cache.file(), good);
        assertThat(cache.load()).containsOnlyKeys(Catalog.manifestKey(a));
    }

    @Test
    void aCachedEntryThatNamesAnotherBackupThanItsKeyIsNotTrusted() {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        BackupId b = backup("app", "2026-11-21T07:00:00Z", "b");
        assertThat(listed(null)).containsExactly(b.value(), a.value());
        // an entry under a's key that holds b's manifest (a bug, a hand edit): the whole file is dropped
        Map<String, ManifestCache.Entry> entries = cache.load();
        ManifestCache.Entry ofA = entries.get(Catalog.manifestKey(a));
        ManifestCache.Entry swapped = new ManifestCache.Entry(
                ofA.key(),
                ofA.size(),
                ofA.lastModified(),
                entries.get(Catalog.manifestKey(b)).manifest());
        cache.save(List.of(swapped, entries.get(Catalog.manifestKey(b))));
        assertThat(cache.load()).isEmpty();
        assertThat(new Catalog(store, cache).list(null))
                .extracting(Manifest::label)
                .containsExactly("b", "a");
    }

    @Test
    void aCacheWrittenForAnotherStoreIsIgnored() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        assertThat(listed(null)).containsExactly(a.value());
        Path elsewhere = Files.createDirectories(stateDir.resolve("elsewhere"));
        ManifestCache other = ManifestCache.in(stateDir, new LocalBackupStore(elsewhere));
        other.save(cache.load().values());
        assertThat(other.load()).containsOnlyKeys(Catalog.manifestKey(a));
        Files.copy(other.file(), cache.file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertIgnoredAndReadAgain(a);
    }

    @Test
    void aCacheWrittenByAnotherLifeboatVersionIsIgnored() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        assertThat(listed(null)).containsExactly(a.value());
        ManifestCache.Entry entry = cache.load().get(Catalog.manifestKey(a));
        try (var out = Files.newOutputStream(cache.file());
                ManifestCodec.Writer w = new ManifestCodec.Writer(out)) {
            ManifestCache.write(w, store.describe(), "lifeboat 0.0.1, manifest formats to 1", List.of(entry));
        }
        assertIgnoredAndReadAgain(a);
        assertThat(cache.load()).containsOnlyKeys(Catalog.manifestKey(a));
    }

    @Test
    void theJsonLinesCacheOfAnEarlierVersionIsReplaced() throws IOException {
        BackupId a = backup("app", "2026-11-20T07:00:00Z", "a");
        Path old = cache.file()
                .resolveSibling(cache.file().getFileName().toString().replace(".bin", ".jsonl"));
        Files.createDirectories(old.getParent());
        Files.writeString(old, "{\"cache\":\"lifeboat-manifests\",\"version\":1}\n");
        assertThat(listed(null)).containsExactly(a.value());
        assertThat(old).doesNotExist();
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
        assertThat(Files.readAllBytes(cache.file())).startsWith(ManifestCodec.MAGIC);
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
