package dev.lifeboat.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head's copy is written over by the stream's own first bytes, and the stream passes unchanged. */
class ArchiveHeadTest {
    @TempDir
    Path dir;

    @Test
    void theStreamWritesItsFirstBytesOverTheCopyAndPassesEveryByte() throws Exception {
        Path head = Files.writeString(dir.resolve("head"), "XXXXXX");
        byte[] archive = "PGDMP-head-then-data".getBytes(StandardCharsets.US_ASCII);

        try (InputStream in = ArchiveHead.rewriting(new ByteArrayInputStream(archive), head)) {
            byte[] first = new byte[4];
            assertThat(in.read(first, 0, 4)).isEqualTo(4);
            assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("PGDM");
            assertThat(in.read()).isEqualTo('P');
            assertThat(in.skip(2)).isEqualTo(2); // "-h": skipped, yet copied
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ead-then-data");
        }

        assertThat(Files.readString(head)).isEqualTo("PGDMP-");
    }

    @Test
    void closingTheStreamLeavesTheArchiveOpen() throws Exception {
        Path head = Files.writeString(dir.resolve("head"), "XX");
        boolean[] closed = new boolean[1];
        InputStream archive = new ByteArrayInputStream(new byte[] {1, 2, 3}) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        ArchiveHead.rewriting(archive, head).close();

        assertThat(closed[0]).isFalse();
    }
}
