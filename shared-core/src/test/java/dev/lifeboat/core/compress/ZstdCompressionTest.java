package dev.lifeboat.core.compress;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZstdCompressionTest {

    /** Half random, half repetitive: compressible like a dump, but not trivially. */
    private static byte[] sample(int size) {
        byte[] data = new byte[size];
        new Random(42).nextBytes(data);
        for (int i = 0; i < size; i += 2) {
            data[i] = (byte) ('a' + i % 13);
        }
        return data;
    }

    private static byte[] compress(byte[] plain, int level, int workers) throws IOException {
        try (InputStream in = ZstdCompression.compressing(new ByteArrayInputStream(plain), level, workers)) {
            return in.readAllBytes();
        }
    }

    private static byte[] decompress(byte[] compressed) throws IOException {
        try (InputStream in = ZstdCompression.decompressing(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void whatIsCompressedDecompressesToTheSameBytesWithAnyNumberOfWorkers(int workers) throws IOException {
        byte[] plain = sample(9_000_000);
        byte[] compressed = compress(plain, ZstdCompression.DEFAULT_LEVEL, workers);
        assertThat(ZstdCompression.hasMagic(compressed)).isTrue();
        assertThat(compressed.length).isLessThan(plain.length * 9 / 10);
        assertThat(decompress(compressed)).isEqualTo(plain);
    }

    @Test
    void anEmptyInputIsAValidEmptyFrame() throws IOException {
        byte[] compressed = compress(new byte[0], 3, 2);
        assertThat(ZstdCompression.hasMagic(compressed)).isTrue();
        assertThat(decompress(compressed)).isEmpty();
    }

    @Test
    void aHigherLevelIsSmaller() throws IOException {
        byte[] plain = sample(2_000_000);
        assertThat(compress(plain, 19, 0).length).isLessThan(compress(plain, 1, 0).length);
    }

    @Test
    void readingInSmallPiecesGivesTheSameStream() throws IOException {
        byte[] plain = sample(1_000_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = ZstdCompression.compressing(new ByteArrayInputStream(plain), 3, 0)) {
            byte[] small = new byte[7];
            int n;
            while ((n = in.read(small)) != -1) {
                out.write(small, 0, n);
            }
        }
        assertThat(decompress(out.toByteArray())).isEqualTo(plain);
    }

    @Test
    void aFlippedByteIsDamageNotACrash() throws IOException {
        byte[] compressed = compress(sample(1_000_000), 3, 0);
        compressed[compressed.length / 2] ^= 0x5a;
        assertThat(refused(ErrorCode.INTEGRITY_FAILED, () -> decompress(compressed)))
                .hasMessageContaining("damaged or truncated");
    }

    @Test
    void aTruncatedStreamIsDamage() throws IOException {
        byte[] compressed = compress(sample(1_000_000), 3, 0);
        byte[] cut = Arrays.copyOf(compressed, compressed.length - 100);
        refused(ErrorCode.INTEGRITY_FAILED, () -> decompress(cut));
    }

    @Test
    void bytesThatAreNotZstdAreDamage() {
        refused(ErrorCode.INTEGRITY_FAILED, () -> decompress("PGDMP not compressed at all".getBytes()));
    }

    @Test
    void aFailingSourceIsAnIoErrorNotDamage() throws IOException {
        byte[] compressed = compress(sample(1_000_000), 3, 0);
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(compressed)) {
            private int reads;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++reads > 2) {
                    throw new IOException("connection reset by the store");
                }
                return super.read(b, off, Math.min(len, 1024));
            }
        };
        assertThatThrownBy(() -> {
                    try (InputStream in = ZstdCompression.decompressing(failing)) {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                })
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(LifeboatException.class)
                .hasMessageContaining("connection reset");
    }

    @Test
    void closingEarlyClosesTheSourceAndFreesTheCompressor() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream source = new FilterInputStream(new ByteArrayInputStream(sample(4_000_000))) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
        InputStream in = ZstdCompression.compressing(source, 3, 2);
        assertThat(in.read(new byte[1000])).isPositive();
        in.close();
        assertThat(closed).isTrue();
        assertThatThrownBy(() -> in.read()).isInstanceOf(IOException.class);
    }

    @Test
    void theWorkerCountChangesNothingInTheContent() throws Exception {
        byte[] plain = sample(3_000_000);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] a = sha.digest(decompress(compress(plain, 5, 0)));
        byte[] b = sha.digest(decompress(compress(plain, 5, 2)));
        assertThat(a).isEqualTo(b).isEqualTo(sha.digest(plain));
    }

    @Test
    void levelsOutsideZstdsRangeAreRefused() {
        assertThatThrownBy(() -> ZstdCompression.compressing(InputStream.nullInputStream(), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZstdCompression.compressing(InputStream.nullInputStream(), 23, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
