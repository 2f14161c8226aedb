package dev.lifeboat.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.testing.FilledRecords;
import dev.lifeboat.core.testing.SampleManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache's binary form gives back every field of every manifest, and refuses what it did not write. */
class ManifestCodecTest {
    private static byte[] encode(List<Manifest> manifests) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ManifestCodec.Writer w = new ManifestCodec.Writer(bytes)) {
            for (Manifest m : manifests) {
                w.bool(true);
                ManifestCodec.write(w, m);
            }
            w.bool(false);
        }
        return bytes.toByteArray();
    }

    private static List<Manifest> decode(byte[] bytes) throws IOException {
        ManifestCodec.Reader r = new ManifestCodec.Reader(new ByteArrayInputStream(bytes));
        List<Manifest> out = new ArrayList<>();
        while (r.bool()) {
            out.add(ManifestCodec.read(r));
        }
        r.end();
        return out;
    }

    @Test
    void everyFieldOfAFullManifestComesBack() throws IOException {
        Manifest full = new FilledRecords().of(Manifest.class);
        assertThat(full.server()).isNotNull();
        assertThat(full.roles()).isNotNull();
        assertThat(full.directory().excludes()).hasSize(2);
        assertThat(decode(encode(List.of(full)))).containsExactly(full);
    }

    @Test
    void aManifestWithEveryOptionalPartMissingComesBack() throws IOException {
        Manifest sparse = SampleManifest.sparse(3, "app-20260101T000000Z-0001", Instant.EPOCH);
        Manifest sample = SampleManifest.of(BackupId.parse("app-20260101T000000Z-0002"))
                .tables(new TableSummary("public", "t", 3, false), new TableSummary("public", "u", 0, true))
                .server(new ServerInfo("db.example", 5432, "app", "me", "15.19", 15))
                .build();
        assertThat(decode(encode(List.of(sparse, sample, sample)))).containsExactly(sparse, sample, sample);
    }

    @Test
    void repeatedStringsAreWrittenOnceAndReadAsOneObject() throws IOException {
        Manifest a = SampleManifest.of(BackupId.parse("app-20260101T000000Z-0001"))
                .label("nightly")
                .build();
        Manifest b = SampleManifest.of(BackupId.parse("app-20260101T000000Z-0002"))
                .label("nightly")
                .build();
        byte[] one = encode(List.of(a));
        byte[] two = encode(List.of(a, b));
        assertThat(two.length - one.length).isLessThan(one.length / 2);
        List<Manifest> back = decode(two);
        assertThat(back.get(1).label()).isSameAs(back.get(0).label());
    }

    @Test
    void aLengthPastAnyManifestIsRefusedBeforeAnythingIsAllocated() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ManifestCodec.Writer w = new ManifestCodec.Writer(bytes)) {
            w.bool(true);
            w.zigZag(1);
            w.varLong(1); // a new string ...
            w.varLong(Integer.MAX_VALUE); // ... of 2 GiB
        }
        assertThatThrownBy(() -> decode(bytes.toByteArray())).isInstanceOf(IOException.class);
    }
}
