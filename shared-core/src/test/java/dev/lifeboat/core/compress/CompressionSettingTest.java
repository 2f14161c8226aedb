package dev.lifeboat.core.compress;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CompressionSettingTest {
    private static final CompressionSetting ZSTD9 = new CompressionSetting(Compression.ZSTD, 9);
    private static final CompressionSetting NONE = new CompressionSetting(Compression.NONE, -1);

    @Test
    void withNothingConfiguredItIsPgDumpsGzip() {
        CompressionSetting s = CompressionSetting.choose(null, null, null);
        assertThat(s).isEqualTo(CompressionSetting.DEFAULT);
        assertThat(s.pgDumpLevel()).isEqualTo(-1);
        assertThat(s.method().inPipe()).isFalse();
    }

    @Test
    void theDatabaseSettingWinsOverTheStoresAndARequestOverBoth() {
        assertThat(CompressionSetting.choose(null, ZSTD9, NONE)).isEqualTo(ZSTD9);
        assertThat(CompressionSetting.choose(null, null, NONE)).isEqualTo(NONE);
        assertThat(CompressionSetting.choose("gzip", ZSTD9, NONE))
                .isEqualTo(new CompressionSetting(Compression.GZIP, -1));
    }

    @Test
    void aRequestForTheConfiguredMethodKeepsItsLevel() {
        assertThat(CompressionSetting.choose("ZSTD", ZSTD9, null)).isEqualTo(ZSTD9);
        assertThat(CompressionSetting.choose("zstd", null, new CompressionSetting(Compression.GZIP, 2)))
                .isEqualTo(new CompressionSetting(Compression.ZSTD, -1));
    }

    @Test
    void pgDumpWritesAnUncompressedArchiveWhenLifeboatCompresses() {
        assertThat(ZSTD9.pgDumpLevel()).isZero();
        assertThat(NONE.pgDumpLevel()).isZero();
        assertThat(new CompressionSetting(Compression.GZIP, 4).pgDumpLevel()).isEqualTo(4);
    }

    @Test
    void anUnknownMethodIsAnInvalidArgumentNamingTheChoices() {
        assertThat(refused(ErrorCode.INVALID_ARGUMENT, () -> CompressionSetting.choose("lz4", null, null)))
                .hasMessageContaining("'lz4'")
                .hasMessageContaining("gzip, zstd, none");
    }

    @Test
    void aManifestCompressionThisVersionDoesNotKnowIsRefused() {
        assertThat(Compression.ofManifest(null, "x")).isEqualTo(Compression.GZIP);
        assertThat(Compression.ofManifest("zstd", "x")).isEqualTo(Compression.ZSTD);
        assertThatThrownBy(() -> Compression.ofManifest("lz4", "app-20260101T000000Z-0000"))
                .isInstanceOf(LifeboatException.class)
                .hasMessageContaining("cannot read");
    }

    @Test
    void closingTheEncodedStreamFreesTheCompressorButLeavesTheDumpsStreamToTheDump() throws Exception {
        for (CompressionSetting setting : List.of(ZSTD9, CompressionSetting.DEFAULT)) {
            AtomicBoolean closed = new AtomicBoolean();
            InputStream dump = new FilterInputStream(new ByteArrayInputStream(new byte[300_000])) {
                @Override
                public void close() {
                    closed.set(true);
                }
            };
            CompressionSetting.Encoded encoded = setting.encode(dump);
            assertThat(encoded.stream().read(new byte[100])).isPositive();
            encoded.close();
            assertThat(closed).as(setting.describe()).isFalse();
        }
    }

    @Test
    void gzipAndNoneStoreWhatPgDumpWrites() {
        InputStream dump = new ByteArrayInputStream(new byte[10]);
        assertThat(CompressionSetting.DEFAULT.encode(dump).stream()).isSameAs(dump);
        assertThat(NONE.encode(dump).stream()).isSameAs(dump);
    }
}
