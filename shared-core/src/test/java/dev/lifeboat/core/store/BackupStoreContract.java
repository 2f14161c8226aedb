package dev.lifeboat.core.store;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.pipe.BulkReadInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BackupStore} keeps. A store's test extends this and supplies a fresh,
 * empty store per test; the tests here say what callers may rely on.
 */
public abstract class BackupStoreContract {

    /** A fresh, empty store for one test. */
    protected abstract BackupStore store();

    /** How many objects the paging test writes; object stores page at 1000. */
    protected int pagingObjectCount() {
        return 1100;
    }

    /** How many bytes the streaming test writes; large enough to cross multipart boundaries. */
    protected long largeObjectSize() {
        return 40L * 1024 * 1024;
    }

    @Test
    void putThenGetReturnsTheSameBytes() throws IOException {
        BackupStore s = store();
        byte[] data = "hello lifeboat".getBytes(StandardCharsets.UTF_8);
        ObjectInfo info = s.put("db/one/dump", new ByteArrayInputStream(data), true);
        assertThat(info.key()).isEqualTo("db/one/dump");
        assertThat(info.size()).isEqualTo(data.length);
        try (InputStream in = s.get("db/one/dump")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(s.stat("db/one/dump")).get().extracting(ObjectInfo::size).isEqualTo((long) data.length);
    }

    @Test
    void emptyObjectsAreObjects() throws IOException {
        BackupStore s = store();
        s.put("db/empty", new ByteArrayInputStream(new byte[0]), true);
        assertThat(s.stat("db/empty")).get().extracting(ObjectInfo::size).isEqualTo(0L);
        try (InputStream in = s.get("db/empty")) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void largeStreamOfUnknownLengthArrivesWhole() throws Exception {
        BackupStore s = store();
        long size = largeObjectSize();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        ObjectInfo info = s.put("db/big/dump", new RandomStream(size, 42, sent), true);
        assertThat(info.size()).isEqualTo(size);
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long n = 0;
        try (InputStream in = s.get("db/big/dump")) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) != -1) {
                got.update(buf, 0, r);
                n += r;
            }
        }
        assertThat(n).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(got.digest()))
                .isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    @Test
    void createOnlyRefusesAnExistingObjectAndKeepsIt() throws IOException {
        BackupStore s = store();
        s.put("db/m.json", bytes("first"), true);
        refused(ErrorCode.ALREADY_EXISTS, () -> s.put("db/m.json", bytes("second"), true));
        try (InputStream in = s.get("db/m.json")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first");
        }
    }

    @Test
    void aLargeCreateOnlyWriteOverAnExistingObjectIsRefusedAndKeepsIt() throws IOException {
        BackupStore s = store();
        s.put("db/big/manifest.json", bytes("first"), true);
        long size = Math.min(largeObjectSize(), 12L * 1024 * 1024);
        refused(ErrorCode.ALREADY_EXISTS, () -> s.put("db/big/manifest.json", new RandomStream(size, 3, null), true));
        try (InputStream in = s.get("db/big/manifest.json")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first");
        }
        assertThat(s.list("db/")).extracting(ObjectInfo::key).containsExactly("db/big/manifest.json");
    }

    @Test
    void plainPutReplacesAnExistingObject() throws IOException {
        BackupStore s = store();
        s.put("db/x", bytes("first"), false);
        s.put("db/x", bytes("second, longer"), false);
        try (InputStream in = s.get("db/x")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second, longer");
        }
    }

    @Test
    void aStreamThatFailsPartWayLeavesNothingBehind() {
        BackupStore s = store();
        LifeboatException boom = new LifeboatException(ErrorCode.TOOL_FAILED, "pg_dump died", null);
        InputStream failing = new RandomStream(3L * 1024 * 1024, 7, null) {
            @Override
            protected void beforeRead(long position) {
                if (position >= 2L * 1024 * 1024) {
                    throw boom;
                }
            }
        };
        assertThatThrownBy(() -> s.put("db/broken/dump", failing, true)).isSameAs(boom);
        assertThat(s.stat("db/broken/dump")).isEmpty();
        assertThat(s.list("db/")).isEmpty();
        assertThat(s.list("")).isEmpty();
    }

    @Test
    void getOfAMissingObjectIsNotFound() {
        BackupStore s = store();
        refused(ErrorCode.NOT_FOUND, () -> s.get("db/nothing/here").close());
        assertThat(s.stat("db/nothing/here")).isEmpty();
    }

    @Test
    void listReturnsObjectsUnderAPrefixSortedByKey() {
        BackupStore s = store();
        s.put("b/2/dump", bytes("x"), true);
        s.put("a/1/manifest.json", bytes("xy"), true);
        s.put("a/1/dump", bytes("xyz"), true);
        s.put("ab/1/dump", bytes("q"), true);
        assertThat(s.list("a/").stream().map(ObjectInfo::key).toList())
                .containsExactly("a/1/dump", "a/1/manifest.json");
        assertThat(s.list("").stream().map(ObjectInfo::key).toList())
                .containsExactly("a/1/dump", "a/1/manifest.json", "ab/1/dump", "b/2/dump");
        assertThat(s.list("a/1/dump"))
                .singleElement()
                .extracting(ObjectInfo::size)
                .isEqualTo(3L);
        assertThat(s.list("zzz/")).isEmpty();
    }

    @Test
    void listPagesThroughManyObjects() {
        BackupStore s = store();
        int n = pagingObjectCount();
        for (int i = 0; i < n; i++) {
            s.put(String.format("many/%05d/manifest.json", i), bytes("{}"), true);
        }
        List<ObjectInfo> all = s.list("many/");
        assertThat(all).hasSize(n);
        assertThat(all.get(0).key()).isEqualTo("many/00000/manifest.json");
        assertThat(all.get(n - 1).key()).isEqualTo(String.format("many/%05d/manifest.json", n - 1));
    }

    @Test
    void deleteRemovesAndIsIdempotent() {
        BackupStore s = store();
        s.put("db/d/dump", bytes("x"), true);
        s.delete("db/d/dump");
        assertThat(s.stat("db/d/dump")).isEmpty();
        assertThat(s.list("")).isEmpty();
        s.delete("db/d/dump");
        s.delete("never/was/there");
    }

    @Test
    void invalidKeysAreRejectedBeforeTheBackendIsTouched() {
        BackupStore s = store();
        for (String key : List.of(
                "", "/abs", "../escape", "a/../../b", "a//b", "a/./b", "trailing/", "nul\u0000x", "back\\slash")) {
            assertThat(refused(() -> s.put(key, bytes("x"), true)).code())
                    .as("put %s", key)
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(refused(() -> s.get(key)).code()).as("get %s", key).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(s.list("")).isEmpty();
    }

    @Test
    void capabilitiesAreDeclaredAndKept() {
        BackupStore s = store();
        StoreCapabilities caps = s.capabilities();
        assertThat(caps).isNotNull();
        assertThat(s.describe()).isNotBlank();
        s.put("db/f", bytes("abc"), true);
        if (caps.localFiles()) {
            assertThat(s.localFile("db/f")).get().satisfies(p -> assertThat(p).hasContent("abc"));
        } else {
            assertThat(s.localFile("db/f")).isEmpty();
        }
    }

    protected static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A stream of reproducible random bytes of a given length, read without knowing its length up front. */
    public static class RandomStream extends BulkReadInputStream {
        private final long size;
        private final Random random;
        private final MessageDigest digest;
        private long position;

        public RandomStream(long size, long seed, MessageDigest digest) {
            this.size = size;
            this.random = new Random(seed);
            this.digest = digest;
        }

        /** Hook for failure injection. */
        protected void beforeRead(long position) {}

        @Override
        public int read(byte[] b, int off, int len) {
            beforeRead(position);
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            if (digest != null) {
                digest.update(chunk);
            }
            position += n;
            return n;
        }
    }
}
