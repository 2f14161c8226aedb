package dev.lifeboat.core.compress;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipCompressionTest {
    private static byte[] sample() {
        byte[] b = new byte[700_000];
        new Random(7).nextBytes(b);
        Arrays.fill(b, 0, 400_000, (byte) 'x'); // compressible half
        return b;
    }

    @Test
    void itsOutputIsAStandardGzipStreamTheJdkAndItselfReadBack() throws IOException {
        byte[] plain = sample();
        byte[] gz =
                GzipCompression.compressing(new ByteArrayInputStream(plain), 1).readAllBytes();
        assertThat(GzipCompression.hasMagic(gz)).isTrue();
        assertThat(gz.length).isLessThan(plain.length);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes())
                .isEqualTo(plain);
        assertThat(GzipCompression.decompressing(new ByteArrayInputStream(gz)).readAllBytes())
                .isEqualTo(plain);
    }

    @Test
    void damagedOrTruncatedDataIsAnIntegrityFailureNotAnIoError() throws IOException {
        byte[] gz = GzipCompression.compressing(new ByteArrayInputStream(sample()), -1)
                .readAllBytes();
        byte[] flipped = gz.clone();
        flipped[flipped.length - 6] ^= 0x01; // inside the CRC-32 trailer
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        for (byte[] bad : new byte[][] {flipped, truncated, "not gzip at all".getBytes()}) {
            InputStream in = GzipCompression.decompressing(new ByteArrayInputStream(bad));
            refused(ErrorCode.INTEGRITY_FAILED, in::readAllBytes);
        }
    }

    @Test
    void aReadErrorOfTheSourceStaysAnIoError() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        InputStream in = GzipCompression.decompressing(failing);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessage("connection reset");
    }

    @Test
    void aDirectoryCompressesWithEveryMethodAndReadsBackWithTheManifestsName() throws IOException {
        byte[] plain = sample();
        for (Compression c : Compression.values()) {
            byte[] stored;
            try (CompressionSetting.Encoded e =
                    new CompressionSetting(c, -1).compress(new ByteArrayInputStream(plain))) {
                stored = e.stream().readAllBytes();
            }
            Compression undo = Compression.appliedByLifeboat(c.id(), true, "x");
            assertThat(undo).isEqualTo(c);
            assertThat(undo.decompressing(new ByteArrayInputStream(stored)).readAllBytes())
                    .isEqualTo(plain);
        }
        // a database's gzip and none are pg_restore's to read; only zstd is Lifeboat's
        assertThat(Compression.appliedByLifeboat("gzip", false, "x")).isEqualTo(Compression.NONE);
        assertThat(Compression.appliedByLifeboat(null, false, "x")).isEqualTo(Compression.NONE);
        assertThat(Compression.appliedByLifeboat("zstd", false, "x")).isEqualTo(Compression.ZSTD);
        assertThat(Compression.appliedByLifeboat(null, true, "x")).isEqualTo(Compression.NONE);
    }

    @Test
    void aDirectoryDefaultsToZstdButFollowsItsOwnThenTheStoresSetting() {
        CompressionSetting gzip1 = new CompressionSetting(Compression.GZIP, 1);
        CompressionSetting none = new CompressionSetting(Compression.NONE, -1);
        CompressionSetting dflt = CompressionSetting.DIRECTORY_DEFAULT;
        assertThat(CompressionSetting.choose(null, null, null, dflt).method()).isEqualTo(Compression.ZSTD);
        assertThat(CompressionSetting.choose(null, null, gzip1, dflt)).isEqualTo(gzip1);
        assertThat(CompressionSetting.choose(null, none, gzip1, dflt)).isEqualTo(none);
        assertThat(CompressionSetting.choose("gzip", none, gzip1, dflt))
                .isEqualTo(new CompressionSetting(Compression.GZIP, -1));
    }
}
