package dev.lifeboat.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveOffsets} against archives laid out as pg_dump writes them: the copy of a pipe-written
 * archive, once the offsets are written into it, is byte for byte the archive pg_dump writes to a
 * file; anything else is copied unchanged. The real pg_dump's archives are checked in
 * {@code ArchiveOffsetsIT}.
 */
class ArchiveOffsetsTest {
    @TempDir
    Path dir;

    @Test
    void theCopyGetsTheOffsetsPgDumpWritesIntoAFile() throws IOException {
        TestArchive archive = TestArchive.version(14)
                .schemaEntry(1, "SCHEMA ledger")
                .tableData(2, "rows of accounts\n".repeat(300), 40)
                .tableData(3, "", 1)
                .largeObjects(4, List.of("first object", "second object".repeat(50)))
                .tableData(5, "rows of orders\n".repeat(90), 7);

        ArchiveOffsets offsets = copy(archive.asPiped(), trickling(archive.asPiped()));

        assertThat(offsets.count()).isEqualTo(4);
        assertThat(written(offsets)).isEqualTo(archive.asFile());
    }

    @Test
    void theNewestAndOldestVersionsItKnowsAreRead() throws IOException {
        for (int minor : new int[] {12, 15, 16}) {
            TestArchive archive = TestArchive.version(minor).tableData(7, "a\tb\n".repeat(1000), 100);

            ArchiveOffsets offsets = copy(archive.asPiped(), new ByteArrayInputStream(archive.asPiped()));

            assertThat(offsets.count()).as("1.%d", minor).isEqualTo(1);
            assertThat(written(offsets)).as("1.%d", minor).isEqualTo(archive.asFile());
        }
    }

    @Test
    void anEntryWhoseDataNeverCameKeepsItsOffsetUnsetAsPgDumpLeavesIt() throws IOException {
        TestArchive archive = TestArchive.version(14)
                .tableData(2, "kept\n", 1)
                .tableDataNeverWritten(3)
                .tableData(4, "also kept\n", 1);

        ArchiveOffsets offsets = copy(archive.asPiped(), new ByteArrayInputStream(archive.asPiped()));

        assertThat(offsets.count()).isEqualTo(2);
        assertThat(written(offsets)).isEqualTo(archive.asFile());
    }

    @Test
    void anArchiveThatAlreadyHasItsOffsetsIsCopiedUnchanged() throws IOException {
        byte[] file = TestArchive.version(14).tableData(2, "x\n".repeat(10), 3).asFile();

        assertCopiedUnchanged(file);
    }

    @Test
    void versionsItDoesNotKnowAreCopiedUnchanged() throws IOException {
        assertCopiedUnchanged(TestArchive.version(11).tableData(2, "x\n", 1).asPiped());
        assertCopiedUnchanged(TestArchive.version(17).tableData(2, "x\n", 1).asPiped());
    }

    @Test
    void whatIsNotACustomArchiveIsCopiedUnchanged() throws IOException {
        assertCopiedUnchanged("PGDMP lifeboat-fake-archive 1\nend\n".getBytes());
        assertCopiedUnchanged("not an archive at all".getBytes());
        assertCopiedUnchanged("PGD".getBytes());
        assertCopiedUnchanged(new byte[0]);
    }

    @Test
    void aTruncatedArchiveIsCopiedAsFarAsItGoesWithNoOffsets() throws IOException {
        byte[] whole =
                TestArchive.version(14).tableData(2, "row\n".repeat(100), 10).asPiped();
        for (int cut : new int[] {8, 40, whole.length / 2, whole.length - 3}) {
            assertCopiedUnchanged(Arrays.copyOf(whole, cut));
        }
    }

    @Test
    void aDataBlockNoEntryAnnouncedLeavesTheCopyUnchanged() throws IOException {
        TestArchive archive = TestArchive.version(14).tableData(2, "row\n", 1);
        byte[] piped = archive.asPiped();
        byte[] stray = TestArchive.dataBlock(9, "stray\n", 1);
        byte[] withStray = Arrays.copyOf(piped, piped.length + stray.length);
        System.arraycopy(stray, 0, withStray, piped.length, stray.length);

        assertCopiedUnchanged(withStray);
    }

    @Test
    void theHeadCopyIsTheHeaderAndTableOfContentsAndNothingAfter() throws IOException {
        // more data than the reader's buffer: what it read past the head must not stay in the copy
        TestArchive archive = TestArchive.version(15)
                .schemaEntry(1, "SCHEMA ledger")
                .tableData(2, "rows of accounts\n".repeat(20_000), 400)
                .largeObjects(3, List.of("an object"));
        for (boolean seekable : new boolean[] {false, true}) {
            byte[] written = seekable ? archive.asFile() : archive.asPiped();
            Path head = Files.createFile(dir.resolve("head-" + seekable));

            assertThat(ArchiveOffsets.copyHead(trickling(written), head)).isTrue();

            byte[] expected = Arrays.copyOf(written, archive.head().length);
            assertThat(Files.readAllBytes(head)).isEqualTo(expected);
        }
    }

    @Test
    void aHeadItDoesNotUnderstandIsRefused() throws IOException {
        Path head = Files.createFile(dir.resolve("head"));

        assertThat(ArchiveOffsets.copyHead(new ByteArrayInputStream("not an archive".getBytes()), head))
                .isFalse();
        assertThat(ArchiveOffsets.copyHead(
                        new ByteArrayInputStream(Arrays.copyOf(
                                TestArchive.version(14)
                                        .schemaEntry(1, "SCHEMA s")
                                        .head(),
                                30)),
                        head))
                .as("a truncated head")
                .isFalse();
    }

    private void assertCopiedUnchanged(byte[] archive) throws IOException {
        ArchiveOffsets offsets = copy(archive, trickling(archive));
        assertThat(offsets.count()).isZero();
        assertThat(written(offsets)).isEqualTo(archive);
    }

    private Path copyFile;

    private ArchiveOffsets copy(byte[] archive, InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = in.readNBytes(Math.min(CustomArchive.MAGIC_LENGTH, archive.length));
        ArchiveOffsets offsets = ArchiveOffsets.copy(head, in, out);
        copyFile = Files.write(dir.resolve("copy-" + System.nanoTime() + ".dump"), out.toByteArray());
        return offsets;
    }

    private byte[] written(ArchiveOffsets offsets) throws IOException {
        offsets.writeInto(copyFile);
        return Files.readAllBytes(copyFile);
    }

    /** A stream that hands out a few bytes per read, so every field crosses a buffer's end somewhere. */
    private static InputStream trickling(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            private int turn;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + (turn++ % 7)));
            }
        };
    }

    /**
     * A custom-format archive written as pg_dump's {@code pg_backup_archiver.c} and {@code
     * pg_backup_custom.c} write one, both to a pipe (offsets not set) and to a file (set).
     */
    static final class TestArchive {
        private final int minor;
        private final List<Entry> entries = new ArrayList<>();

        private record Entry(int id, String kind, String data, int chunks, List<String> objects, boolean written) {}

        private TestArchive(int minor) {
            this.minor = minor;
        }

        static TestArchive version(int minor) {
            return new TestArchive(minor);
        }

        TestArchive schemaEntry(int id, String kind) {
            entries.add(new Entry(id, kind, null, 0, null, false));
            return this;
        }

        TestArchive tableData(int id, String rows, int chunks) {
            entries.add(new Entry(id, "TABLE DATA", rows, chunks, null, true));
            return this;
        }

        TestArchive tableDataNeverWritten(int id) {
            entries.add(new Entry(id, "TABLE DATA", "", 0, null, false));
            return this;
        }

        TestArchive largeObjects(int id, List<String> objects) {
            entries.add(new Entry(id, "BLOBS", null, 0, objects, true));
            return this;
        }

        byte[] asPiped() {
            return write(false);
        }

        byte[] asFile() {
            return write(true);
        }

        /** The header and table of contents alone, as {@link #asPiped} begins. */
        byte[] head() {
            byte[] all = asPiped();
            Out blocks = new Out();
            for (Entry e : entries) {
                if (e.written) {
                    writeBlock(blocks, e);
                }
            }
            return Arrays.copyOf(all, all.length - blocks.size());
        }

        static byte[] dataBlock(int id, String rows, int chunks) {
            Out out = new Out();
            writeBlock(out, new Entry(id, "TABLE DATA", rows, chunks, null, true));
            return out.bytes();
        }

        private byte[] write(boolean seekable) {
            // the blocks first, to know where each starts
            Out blocks = new Out();
            List<Long> starts = new ArrayList<>();
            for (Entry e : entries) {
                starts.add((long) blocks.size());
                if (e.written) {
                    writeBlock(blocks, e);
                }
            }
            Out head = new Out();
            head.bytes("PGDMP".getBytes());
            head.bytes(new byte[] {1, (byte) minor, 0, 4, 8, 1});
            if (minor >= 15) {
                head.bytes(new byte[] {0});
            } else {
                head.integer(0);
            }
            for (int t : new int[] {5, 4, 3, 2, 1, 126, 0}) {
                head.integer(t);
            }
            head.string("app");
            head.string("15.20");
            head.string("15.20");
            int tocLength = toc(new Out(), List.of(), false).size();
            long dataStart = head.size() + tocLength;
            List<Long> positions = starts.stream().map(s -> s + dataStart).toList();
            toc(head, positions, seekable);
            head.bytes(blocks.bytes());
            return head.bytes();
        }

        private Out toc(Out out, List<Long> positions, boolean seekable) {
            out.integer(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                out.integer(e.id);
                out.integer(e.data != null || e.objects != null ? 1 : 0);
                out.string("1259");
                out.string(Integer.toString(16000 + e.id));
                out.string("tag " + e.id);
                out.string(e.kind);
                out.integer(e.data != null || e.objects != null ? 3 : 2);
                out.string(e.data == null ? "CREATE SOMETHING;\n" : "");
                out.string("");
                out.string(e.data == null ? "" : "COPY public.t (a) FROM stdin;\n");
                out.string("public");
                out.string("");
                if (minor >= 14) {
                    out.string(null);
                }
                if (minor >= 16) {
                    out.integer('r');
                }
                out.string("owner");
                out.string("false");
                if (e.id > 1) {
                    out.string("1");
                }
                out.string(null);
                boolean hasData = e.data != null || e.objects != null;
                int flag = !hasData ? 3 : seekable && e.written ? 2 : 1;
                long pos = flag == 2 ? positions.get(i) : 0;
                out.offset(flag, pos);
            }
            return out;
        }

        private static void writeBlock(Out out, Entry e) {
            if (e.objects == null) {
                out.bytes(new byte[] {1});
                out.integer(e.id);
                chunks(out, e.data, e.chunks);
            } else {
                out.bytes(new byte[] {3});
                out.integer(e.id);
                int oid = 50000;
                for (String object : e.objects) {
                    out.integer(oid++);
                    chunks(out, object, 3);
                }
                out.integer(0);
            }
        }

        private static void chunks(Out out, String data, int count) {
            byte[] bytes = data.getBytes();
            int size = Math.max(1, (bytes.length + count - 1) / Math.max(1, count));
            for (int from = 0; from < bytes.length; from += size) {
                int n = Math.min(size, bytes.length - from);
                out.integer(n);
                out.bytes(Arrays.copyOfRange(bytes, from, from + n));
            }
            out.integer(0);
        }
    }

    /** pg_dump's WriteInt, WriteStr and WriteOffset with four-byte integers and eight-byte offsets. */
    private static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void bytes(byte[] b) {
            out.writeBytes(b);
        }

        void integer(long i) {
            out.write(i < 0 ? 1 : 0);
            long v = Math.abs(i);
            for (int b = 0; b < 4; b++) {
                out.write((int) (v & 0xff));
                v >>= 8;
            }
        }

        void string(String s) {
            if (s == null) {
                integer(-1);
                return;
            }
            byte[] b = s.getBytes();
            integer(b.length);
            bytes(b);
        }

        void offset(int flag, long pos) {
            out.write(flag);
            for (int b = 0; b < 8; b++) {
                out.write((int) (pos & 0xff));
                pos >>= 8;
            }
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
