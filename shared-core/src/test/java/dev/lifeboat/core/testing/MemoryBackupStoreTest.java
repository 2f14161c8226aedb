package dev.lifeboat.core.testing;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStoreContract;
import dev.lifeboat.core.store.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-memory store keeps the store contract, and its faults do what they say. */
class MemoryBackupStoreTest extends BackupStoreContract {

    @Override
    protected BackupStore store() {
        return new MemoryBackupStore();
    }

    @Test
    void theNthPutFromNowFailsAfterReadingItsStreamAndLeavesNothing() throws IOException {
        MemoryBackupStore s = new MemoryBackupStore();
        s.put("db/zero", bytes("before"), true);
        s.failPut(2);
        s.put("db/one", bytes("one"), true);
        CountingStream second = new CountingStream("two, a little longer");
        LifeboatException e = refused(ErrorCode.STORE_UNAVAILABLE, () -> s.put("db/two", second, true));
        assertThat(e.getMessage()).contains("'db/two'", "memory://test", "injected");
        assertThat(second.read.get()).isEqualTo("two, a little longer".length());
        assertThat(s.stat("db/two")).isEmpty();
        s.put("db/two", bytes("two"), true);
        assertThat(s.keys()).containsExactly("db/one", "db/two", "db/zero");
    }

    @Test
    void aPutCanFailPartWayThroughItsStream() {
        MemoryBackupStore s = new MemoryBackupStore().failPut(1, 4);
        CountingStream data = new CountingStream("0123456789");
        assertThat(refused(() -> s.put("db/x", data, false)).getMessage()).contains("after reading 4 bytes");
        assertThat(data.read.get()).isEqualTo(4);
        assertThat(s.list("")).isEmpty();
    }

    @Test
    void putsOfMatchingKeysFailUntilHealed() {
        MemoryBackupStore s = new MemoryBackupStore().failPuts(k -> k.endsWith("/manifest.json"));
        s.put("app/id/dump", bytes("data"), true);
        assertThatThrownBy(() -> s.put("app/id/manifest.json", bytes("{}"), true))
                .isInstanceOf(LifeboatException.class);
        s.heal();
        s.put("app/id/manifest.json", bytes("{}"), true);
        assertThat(s.keys()).containsExactly("app/id/dump", "app/id/manifest.json");
    }

    @Test
    void aShortWriteKeepsATruncatedObjectAndSaysSo() {
        MemoryBackupStore s = new MemoryBackupStore().shortWrites(k -> k.endsWith("/dump"), 3);
        ObjectInfo info = s.put("app/id/dump", bytes("0123456789"), true);
        assertThat(info.size()).isEqualTo(3);
        assertThat(s.bytes("app/id/dump")).get().isEqualTo("012".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readsOfAKeyCanFailWholeOrPartWay() throws IOException {
        MemoryBackupStore s = new MemoryBackupStore();
        s.put("db/a", bytes("abcdef"), true);
        s.put("db/b", bytes("abcdef"), true);
        s.failGets("db/a").failReads("db/b", 2);
        refused(ErrorCode.STORE_UNAVAILABLE, () -> s.get("db/a"));
        assertThat(s.stat("db/a")).isPresent();
        try (InputStream in = s.get("db/b")) {
            assertThat(in.readNBytes(2)).isEqualTo("ab".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("db/b");
        }
        s.heal();
        try (InputStream in = s.get("db/b")) {
            assertThat(in.readAllBytes()).hasSize(6);
        }
    }

    @Test
    void listingsCanFail() {
        MemoryBackupStore s = new MemoryBackupStore().failLists();
        refused(ErrorCode.STORE_UNAVAILABLE, () -> s.list("app/"));
    }

    @Test
    void storedObjectsCanBeDamagedBehindTheStoresBack() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T07:12:00Z"), ZoneOffset.UTC);
        MemoryBackupStore s = new MemoryBackupStore("damaged", clock);
        s.put("db/t", bytes("0123456789"), true);
        s.put("db/c", bytes("0123456789"), true);
        s.truncate("db/t", 4);
        s.corrupt("db/c", 0);
        assertThat(s.stat("db/t")).get().extracting(ObjectInfo::size).isEqualTo(4L);
        try (InputStream in = s.get("db/c")) {
            byte[] got = in.readAllBytes();
            assertThat(got).hasSize(10);
            assertThat(got[0]).isEqualTo((byte) ('0' ^ 0xff));
        }
        assertThat(s.stat("db/c")).get().extracting(ObjectInfo::lastModified).isEqualTo(clock.instant());
        s.plant("db/p", new byte[] {1, 2});
        assertThat(s.calls()).doesNotContain("put db/p");
        assertThat(s.list("db/")).extracting(ObjectInfo::key).containsExactly("db/c", "db/p", "db/t");
    }

    @Test
    void aReaderKeepsTheVersionItOpenedWhenTheObjectIsReplaced() throws IOException {
        MemoryBackupStore s = new MemoryBackupStore();
        s.put("db/x", bytes("first"), false);
        try (InputStream in = s.get("db/x")) {
            s.put("db/x", bytes("second"), false);
            s.delete("db/x");
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("first");
        }
    }

    @Test
    void callsAreRecordedButInvalidKeysNeverReachTheStore() {
        MemoryBackupStore s = new MemoryBackupStore();
        s.put("db/x", bytes("x"), true);
        s.stat("db/x");
        s.list("db/");
        assertThatThrownBy(() -> s.get("../x")).isInstanceOf(LifeboatException.class);
        s.delete("db/x");
        s.close();
        assertThat(s.calls()).containsExactly("put db/x", "stat db/x", "list db/", "delete db/x", "close");
        assertThat(s.closed()).isTrue();
    }

    /** A stream over a string that counts what was read from it. */
    private static final class CountingStream extends ByteArrayInputStream {
        final AtomicLong read = new AtomicLong();

        CountingStream(String s) {
            super(s.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            if (n > 0) {
                read.addAndGet(n);
            }
            return n;
        }
    }
}
