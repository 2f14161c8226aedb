package dev.lifeboat.core.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.store.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed backup leaves in a local store, as gc and {@code backup list} find it. */
class LeftoversInALocalStoreTest {
    private static final String COMMITTED = "app/app-20261205T000000Z-aaaa/";
    private static final String KILLED = "app/app-20261205T010000Z-bbbb/";

    @TempDir
    Path root;

    @Test
    void aPartialUploadIsAnUnfinishedWriteThatListDoesNotShowAndGcCanRemove() throws IOException {
        LocalBackupStore store = new LocalBackupStore(root);
        Path dir = Files.createDirectories(root.resolve(KILLED));
        Path partial = Files.writeString(dir.resolve(LocalBackupStore.TEMP_PREFIX + "0123abcd"), "half a dump");

        assertThat(store.list("")).isEmpty();
        assertThat(store.unfinishedWrites())
                .extracting(ObjectInfo::key, ObjectInfo::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(KILLED + partial.getFileName(), 11L));

        store.removeUnfinishedWrite(KILLED + partial.getFileName());
        assertThat(partial).doesNotExist();
        assertThat(store.unfinishedWrites()).isEmpty();
    }

    @Test
    void onlyTemporaryFilesUnderTheRootCanBeRemovedAsUnfinishedWrites() throws IOException {
        LocalBackupStore store = new LocalBackupStore(root.resolve("store"));
        store.put(COMMITTED + "dump", new ByteArrayInputStream(new byte[] {1}), true);
        Path outside = Files.writeString(root.resolve(LocalBackupStore.TEMP_PREFIX + "outside"), "not the store's");

        assertThatThrownBy(() -> store.removeUnfinishedWrite(COMMITTED + "dump"))
                .hasMessageContaining("not a temporary file");
        assertThatThrownBy(() -> store.removeUnfinishedWrite("../" + outside.getFileName()))
                .hasMessageContaining("not a temporary file");
        assertThat(store.stat(COMMITTED + "dump")).isPresent();
        assertThat(outside).exists();
    }

    @Test
    void dataWithoutAManifestIsUncommittedInTheSameListingThatListsTheCommitted() {
        LocalBackupStore store = new LocalBackupStore(root);
        store.put(COMMITTED + "dump", new ByteArrayInputStream(new byte[] {1}), true);
        store.put(COMMITTED + "manifest.json", new ByteArrayInputStream("{}".getBytes()), true);
        store.put(KILLED + "dump", new ByteArrayInputStream(new byte[] {1, 2}), true);
        store.put("notes/readme.txt", new ByteArrayInputStream(new byte[] {3}), true);

        Catalog.Listing listing = new Catalog(store).listing(null);

        // the committed backup's unreadable manifest is skipped, but its data is still committed
        assertThat(listing.uncommitted()).extracting(ObjectInfo::key).containsExactly(KILLED + "dump");
    }

    @Test
    void aListingFromTheRootSeesTheSameUnfinishedWritesAsTheirOwnWalk() throws IOException {
        LocalBackupStore store = new LocalBackupStore(root);
        store.put(COMMITTED + "dump", new ByteArrayInputStream(new byte[] {1}), true);
        store.put(COMMITTED + "manifest.json", new ByteArrayInputStream("{}".getBytes()), true);
        Path killed = Files.createDirectories(root.resolve(KILLED));
        Files.writeString(killed.resolve(LocalBackupStore.TEMP_PREFIX + "0123abcd"), "half a dump");
        Files.writeString(root.resolve(LocalBackupStore.TEMP_PREFIX + "atroot"), "x");
        Files.writeString(root.resolve("app").resolve(LocalBackupStore.TEMP_PREFIX + "indb"), "xy");
        Files.createSymbolicLink(
                killed.resolve(LocalBackupStore.TEMP_PREFIX + "link"),
                killed.resolve(LocalBackupStore.TEMP_PREFIX + "0123abcd"));

        var whole = store.listWithUnfinished("");
        assertThat(whole.objects()).isEqualTo(store.list(""));
        assertThat(whole.unfinished()).hasSize(3).isEqualTo(store.unfinishedWrites());
        // listed in part, it cannot see them all: the caller asks unfinishedWrites
        var part = store.listWithUnfinished("app/");
        assertThat(part.objects()).isEqualTo(store.list("app/"));
        assertThat(part.unfinished()).isNull();
        assertThat(new Catalog(store).listing(null).unfinished()).isEqualTo(store.unfinishedWrites());
        assertThat(new Catalog(store).listing("app").unfinished()).isNull();
    }
}
