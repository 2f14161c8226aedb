package dev.lifeboat.core.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The data offsets of a custom-format archive that pg_dump wrote to a pipe, found while the archive is
 * copied into a file, and written into the copy's table of contents afterwards: the file pg_dump
 * would have written had it been given one.
 *
 * <p>Why: pg_dump can only go back and record where each table's data starts when its output is
 * seekable, and Lifeboat always reads it from a pipe. {@code pg_restore -j N} on such an archive has
 * each worker search the file for its table's data block by block, and an uncompressed archive (what
 * a zstd backup decodes to) holds one block per row: the same restore took 6.4 s instead of 3.8 s at
 * pgbench scale 20. pg_restore also orders parallel work by the sizes it derives from the offsets.
 *
 * <p>The format, as pg_dump's {@code pg_backup_archiver.c} and {@code pg_backup_custom.c} write it
 * (archive versions 1.12 to 1.16, PostgreSQL 9.6 to 18): a header, the table of contents (each entry
 * ends with a flag byte and the offset of its data block, "not set" when written to a pipe), then the
 * data blocks (a type byte, the entry's id, and chunks of a length and bytes until a zero length;
 * large objects are an object id before each run of chunks, until a zero object id). Integers are a
 * sign byte and the archive's integer size in bytes, least significant first.
 *
 * <p>Anything this reading does not expect (another version or format, an entry it cannot place, a
 * truncated archive) leaves the copy exactly as it was read: pg_restore then searches as it always
 * did, and a damaged archive is the checksum's to report, not this class's. pg_restore checks the id
 * at every offset it is given, so an offset could only ever fail a restore loudly, never feed it the
 * wrong data.
 */
public final class ArchiveOffsets {
    private static final int OFFSET_NOT_SET = 1;
    private static final int OFFSET_SET = 2;
    private static final int OFFSET_NO_DATA = 3;
    private static final int BLOCK_DATA = 1;
    private static final int BLOCK_LARGE_OBJECTS = 3;
    private static final int FORMAT_CUSTOM = 1;
    private static final int OLDEST_MINOR = 12;
    private static final int NEWEST_MINOR = 16;
    /** More entries than any real schema holds: beyond it the header is not what it seems. */
    private static final long MAX_ENTRIES = 50_000_000L;

    /** Where each entry's offset field is in the file, and where its data block starts. */
    private final long[] fields;

    private final long[] blocks;
    private final int offsetSize;

    private ArchiveOffsets(long[] fields, long[] blocks, int offsetSize) {
        this.fields = fields;
        this.blocks = blocks;
        this.offsetSize = offsetSize;
    }

    /**
     * Copies an archive from {@code in} to {@code out} whole, whatever it holds, reading its structure
     * on the way; {@code head} is what was already read from {@code in} (written first). Read and
     * write failures are thrown as they come; a structure this class does not understand only means
     * there is nothing to write afterwards.
     */
    public static ArchiveOffsets copy(byte[] head, InputStream in, OutputStream out) throws IOException {
        Reader r = new Reader(head, in, out);
        ArchiveOffsets found;
        try {
            found = read(r);
        } catch (NotUnderstood e) {
            found = new ArchiveOffsets(new long[0], new long[0], 0);
        }
        r.drain();
        return found;
    }

    /** How many data offsets {@link #writeInto} writes. */
    public int count() {
        return fields.length;
    }

    /** Writes the offsets into {@code file}, the copy {@link #copy} made, and forces them to disk. */
    public void writeInto(Path file) throws IOException {
        if (fields.length == 0) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer field = ByteBuffer.allocate(1 + offsetSize);
            for (int i = 0; i < fields.length; i++) {
                field.clear();
                field.put((byte) OFFSET_SET);
                long pos = blocks[i];
                for (int b = 0; b < offsetSize; b++) {
                    field.put((byte) pos);
                    pos >>>= 8;
                }
                field.flip();
                while (field.hasRemaining()) {
                    ch.write(field, fields[i] + field.position());
                }
            }
        }
    }

    /**
     * Copies the head of the archive read from {@code in} into {@code file}: its header and table of
     * contents, all that pg_restore reads to run the entries that have no data (the post-data section:
     * indexes, constraints, grants), and nothing after them. False when the head is not one this class
     * understands; the file then holds some prefix of the archive.
     */
    public static boolean copyHead(InputStream in, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream out = Channels.newOutputStream(ch)) {
            Reader r = new Reader(new byte[0], in, out);
            try {
                readToc(r);
            } catch (NotUnderstood e) {
                return false;
            }
            ch.truncate(r.position()); // the reader copies whole buffers: what it read past the head goes
            return true;
        }
    }

    private static ArchiveOffsets read(Reader r) throws IOException, NotUnderstood {
        Toc toc = readToc(r);
        expect(!toc.offsetsSet()); // written to a file: pg_dump recorded them itself
        Map<Long, Long> blocks = new HashMap<>(); // entry id -> where its data block starts
        while (true) {
            long start = r.position();
            int type = r.readByteOrEnd();
            if (type == -1) {
                break;
            }
            long id = r.readInt();
            expect(toc.unset().containsKey(id) && blocks.put(id, start) == null);
            if (type == BLOCK_DATA) {
                skipChunks(r);
            } else {
                expect(type == BLOCK_LARGE_OBJECTS);
                while (r.readInt() != 0) { // a large object's oid, until zero
                    skipChunks(r);
                }
            }
        }
        long[] fields = new long[blocks.size()];
        long[] starts = new long[blocks.size()];
        int i = 0;
        for (Map.Entry<Long, Long> e : blocks.entrySet()) {
            fields[i] = toc.unset().get(e.getKey());
            starts[i++] = e.getValue();
        }
        return new ArchiveOffsets(fields, starts, toc.offsetSize());
    }

    /**
     * What the header and table of contents said: where the offset field of each entry whose data
     * has no recorded offset is, the size of offsets, and whether any entry had one recorded.
     */
    private record Toc(Map<Long, Long> unset, int offsetSize, boolean offsetsSet) {}

    private static Toc readToc(Reader r) throws IOException, NotUnderstood {
        for (byte b : new byte[] {'P', 'G', 'D', 'M', 'P'}) {
            expect(r.readByte() == b);
        }
        int major = r.readByte();
        int minor = r.readByte();
        r.readByte(); // revision
        expect(major == 1 && minor >= OLDEST_MINOR && minor <= NEWEST_MINOR);
        r.intSize = r.readByte();
        int offsetSize = r.readByte();
        expect(r.intSize >= 1 && r.intSize <= 8 && offsetSize >= 1 && offsetSize <= 8);
        expect(r.readByte() == FORMAT_CUSTOM);
        if (minor >= 15) {
            r.readByte(); // compression algorithm
        } else {
            r.readInt(); // compression level
        }
        for (int i = 0; i < 7; i++) {
            r.readInt(); // creation time: seconds, minutes, hours, day, month, year, dst
        }
        r.skipString(); // database name
        r.skipString(); // server version
        r.skipString(); // pg_dump version

        long entries = r.readInt();
        expect(entries >= 0 && entries <= MAX_ENTRIES);
        Map<Long, Long> unset = new HashMap<>(); // entry id -> where its offset field is
        boolean offsetsSet = false;
        for (long i = 0; i < entries; i++) {
            long id = r.readInt();
            r.readInt(); // had a data dumper
            for (int s = 0; s < 4; s++) {
                r.skipString(); // table oid, oid, tag, kind
            }
            r.readInt(); // section
            for (int s = 0; s < 5; s++) {
                r.skipString(); // definition, drop, copy statements, schema, tablespace
            }
            if (minor >= 14) {
                r.skipString(); // table access method
            }
            if (minor >= 16) {
                r.readInt(); // relation kind
            }
            r.skipString(); // owner
            r.skipString(); // "false" (with oids)
            while (r.skipString()) {
                // dependencies, until a null string
            }
            long field = r.position();
            int flag = r.readByte();
            r.skip(offsetSize);
            expect(flag == OFFSET_SET || flag == OFFSET_NOT_SET || flag == OFFSET_NO_DATA);
            offsetsSet |= flag == OFFSET_SET;
            if (flag == OFFSET_NOT_SET) {
                expect(unset.put(id, field) == null);
            }
        }
        return new Toc(unset, offsetSize, offsetsSet);
    }

    private static void skipChunks(Reader r) throws IOException, NotUnderstood {
        for (long n; (n = r.readInt()) != 0; ) {
            expect(n > 0);
            r.skip(n);
        }
    }

    private static void expect(boolean understood) throws NotUnderstood {
        if (!understood) {
            throw new NotUnderstood();
        }
    }

    /** The archive is not one this class can place offsets in (the copy is made all the same). */
    private static final class NotUnderstood extends Exception {
        private static final long serialVersionUID = 1L;

        NotUnderstood() {
            super(null, null, false, false);
        }
    }

    /** Reads the archive through one buffer, every byte of which is written to the copy as it is read. */
    private static final class Reader {
        private final InputStream in;
        private final OutputStream out;
        // zstd's own block size: 8 KiB reads would cost a JNI call per 8 KiB of output
        private final byte[] buf = new byte[128 * 1024];
        private int pos;
        private int limit;
        /** The file position of buf[0]. */
        private long base;

        int intSize = 4;

        Reader(byte[] head, InputStream in, OutputStream out) throws IOException {
            this.in = in;
            this.out = out;
            System.arraycopy(head, 0, buf, 0, head.length);
            limit = head.length;
            out.write(head);
        }

        long position() {
            return base + pos;
        }

        /** Reads the next buffer's worth and copies it; false at the end of the archive. */
        private boolean fill() throws IOException {
            int n = in.read(buf);
            if (n == -1) {
                return false;
            }
            out.write(buf, 0, n);
            base += limit;
            pos = 0;
            limit = n;
            return true;
        }

        int readByteOrEnd() throws IOException {
            while (pos == limit) {
                if (!fill()) {
                    return -1;
                }
            }
            return buf[pos++] & 0xff;
        }

        int readByte() throws IOException, NotUnderstood {
            int b = readByteOrEnd();
            expect(b != -1);
            return b;
        }

        long readInt() throws IOException, NotUnderstood {
            int sign = readByte();
            long value = 0;
            for (int i = 0; i < intSize; i++) {
                value |= (long) readByte() << (8 * i);
            }
            return sign == 0 ? value : -value;
        }

        /** Skips a string; false when it was the null string (a negative length). */
        boolean skipString() throws IOException, NotUnderstood {
            long length = readInt();
            if (length < 0) {
                return false;
            }
            skip(length);
            return true;
        }

        void skip(long n) throws IOException, NotUnderstood {
            while (n > 0) {
                if (pos == limit) {
                    expect(fill());
                }
                int k = (int) Math.min(n, limit - pos);
                pos += k;
                n -= k;
            }
        }

        /** Copies what is left, unread. */
        void drain() throws IOException {
            pos = limit;
            while (fill()) {
                pos = limit;
            }
        }
    }
}
