package dev.lifeboat.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pg_dump's archives: one read from a pipe, copied with {@link ArchiveOffsets} and given its
 * offsets, is the archive pg_dump writes to a file (all but the creation time in its header), with
 * table data and large objects, uncompressed (what a zstd backup decodes to) and gzip'd; and
 * {@code pg_restore -j 2} restores it whole.
 */
class ArchiveOffsetsIT {
    @TempDir
    Path dir;

    @Test
    void aPipeWrittenDumpCopiedWithItsOffsetsIsTheDumpPgDumpWritesToAFile() throws Exception {
        PgCluster pg = PgCluster.shared();
        String db = SampleData.database(pg, "offsets", 3000);
        pg.execute(
                db,
                "CREATE TABLE public.empty_table (id int)",
                "SELECT lo_from_bytea(0, decode(repeat('ab', 70000), 'hex')) FROM generate_series(1, 3)");
        try {
            for (String compression : List.of("0", "6")) {
                Path fromPipe = dir.resolve("pipe-z" + compression + ".dump");
                ArchiveOffsets offsets;
                Process dump = start(pg, dumpCommand(pg, db, compression));
                try (InputStream in = dump.getInputStream();
                        OutputStream out = Files.newOutputStream(fromPipe)) {
                    offsets = ArchiveOffsets.copy(in.readNBytes(CustomArchive.MAGIC_LENGTH), in, out);
                }
                assertThat(dump.waitFor()).isZero();
                offsets.writeInto(fromPipe);

                Path toFile = dir.resolve("file-z" + compression + ".dump");
                List<String> command = new ArrayList<>(dumpCommand(pg, db, compression));
                command.addAll(List.of("-f", toFile.toString()));
                assertThat(start(pg, command).waitFor()).isZero();

                // every table of the sample, the empty one, and the large objects' block
                assertThat(offsets.count()).as("-Z%s", compression).isEqualTo(SampleData.TABLES.size() + 2);
                assertThat(withoutCreationTime(Files.readAllBytes(fromPipe)))
                        .as("-Z%s", compression)
                        .isEqualTo(withoutCreationTime(Files.readAllBytes(toFile)));

                String restored = pg.createUniqueDatabase("offsets_j2");
                List<String> restore = new ArrayList<>(pg.pgRestoreCommand(restored));
                restore.addAll(List.of("-j", "2", fromPipe.toString()));
                assertThat(start(pg, restore).waitFor()).isZero();
                assertThat(pg.tableFingerprints(restored)).isEqualTo(pg.tableFingerprints(db));
                assertThat(pg.queryValue(restored, "SELECT count(*) FROM pg_largeobject_metadata"))
                        .isEqualTo("3");
                pg.dropDatabase(restored);
            }
        } finally {
            pg.dropDatabase(db);
        }
    }

    private static List<String> dumpCommand(PgCluster pg, String db, String compression) {
        return List.of(
                pg.clientTool("pg_dump").toString(),
                "-Fc",
                "-Z",
                compression,
                "-h",
                pg.host(),
                "-p",
                Integer.toString(pg.port()),
                "-U",
                PgCluster.SUPERUSER,
                db);
    }

    private static Process start(PgCluster pg, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(pg.clientEnv());
        return pb.start();
    }

    /** The archive with its header's creation time (seven integers) zeroed: two dumps differ only there. */
    private static byte[] withoutCreationTime(byte[] archive) {
        int minor = archive[6];
        int intSize = archive[8];
        // magic, three version bytes, integer and offset sizes, format; then the compression
        int at = 11 + (minor >= 15 ? 1 : 1 + intSize);
        byte[] out = archive.clone();
        java.util.Arrays.fill(out, at, at + 7 * (1 + intSize), (byte) 0);
        return out;
    }
}
