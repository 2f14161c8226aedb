package dev.lifeboat.core.catalog;

import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The binary form of {@link ManifestCache}'s entries: what a listing of 10,000 backups reads at every
 * run, so it is read without a JSON parser, a field-name lookup or a date parse per value. Numbers are
 * variable-length; every string is written once and referred to by its index after that (ids differ,
 * but hosts, tool versions, table names and tag keys repeat from one backup to the next, and the reader
 * hands out one {@code String} for all of them); instants are seconds and nanoseconds. The manifest is
 * read through its builder, one call per component in the order they are written, and the records in
 * it through their canonical constructors; a new manifest field this reader forgets is not dropped
 * silently: {@code ManifestCodecTest} fills every component by reflection and compares.
 * A CRC-32 of everything before it ends the file: a reader that finds a byte changed, a length past the
 * end or anything after the checksum refuses the whole file.
 */
final class ManifestCodec {
    /** The first bytes of a cache file of this format. */
    static final byte[] MAGIC = "LBMCACHE".getBytes(StandardCharsets.US_ASCII);

    /** A string, list or map longer than this is corruption, not data (a manifest is at most 4 MiB). */
    private static final int MAX_LENGTH = 4 << 20;

    private ManifestCodec() {}

    /** Writes values to a stream through one buffer, with the string table and the running checksum. */
    static final class Writer implements AutoCloseable {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private final CRC32 crc = new CRC32();
        private final Map<String, Integer> strings = new HashMap<>();

        Writer(OutputStream out) {
            this.out = out;
        }

        void raw(byte[] bytes) throws IOException {
            for (byte b : bytes) {
                put(b);
            }
        }

        private void put(int b) throws IOException {
            if (pos == buf.length) {
                drain();
            }
            buf[pos++] = (byte) b;
        }

        private void drain() throws IOException {
            crc.update(buf, 0, pos);
            out.write(buf, 0, pos);
            pos = 0;
        }

        /** An unsigned variable-length number (7 bits a byte, low bits first). */
        void varLong(long v) throws IOException {
            while ((v & ~0x7FL) != 0) {
                put((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            put((int) v);
        }

        /** A signed number, zig-zag encoded so small negative numbers stay short. */
        void zigZag(long v) throws IOException {
            varLong((v << 1) ^ (v >> 63));
        }

        void bool(boolean b) throws IOException {
            put(b ? 1 : 0);
        }

        /** 0 for null, 1 and the UTF-8 bytes for a string not written before, else 2 + its index. */
        void string(String s) throws IOException {
            if (s == null) {
                put(0);
                return;
            }
            Integer index = strings.get(s);
            if (index != null) {
                varLong(index + 2L);
                return;
            }
            strings.put(s, strings.size());
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            put(1);
            varLong(bytes.length);
            for (byte b : bytes) {
                put(b);
            }
        }

        /** 0 for null, else 1, the epoch second and the nanosecond. */
        void instant(Instant t) throws IOException {
            if (t == null) {
                put(0);
                return;
            }
            put(1);
            zigZag(t.getEpochSecond());
            varLong(t.getNano());
        }

        void strings(List<String> list) throws IOException {
            varLong(list.size());
            for (String s : list) {
                string(s);
            }
        }

        /** Ends the file with the checksum of everything written before it, and flushes it out. */
        @Override
        public void close() throws IOException {
            drain();
            long sum = crc.getValue();
            for (int i = 0; i < 8; i++) {
                buf[pos++] = (byte) (sum >>> (8 * i));
            }
            out.write(buf, 0, pos);
            pos = 0;
            out.flush();
        }
    }

    /** Reads what {@link Writer} wrote, through one buffer refilled from the stream (never the whole file). */
    static final class Reader {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private int summedTo;
        private final CRC32 crc = new CRC32();
        private final List<String> strings = new ArrayList<>();

        Reader(InputStream in) {
            this.in = in;
        }

        /** Whether the stream ended before its first byte. */
        boolean empty() throws IOException {
            return !fill();
        }

        private boolean fill() throws IOException {
            if (pos < limit) {
                return true;
            }
            crc.update(buf, summedTo, pos - summedTo);
            pos = 0;
            limit = 0;
            summedTo = 0;
            int n;
            do {
                n = in.read(buf, 0, buf.length);
            } while (n == 0);
            if (n < 0) {
                return false;
            }
            limit = n;
            return true;
        }

        private int get() throws IOException {
            if (pos == limit && !fill()) {
                throw new EOFException("the manifest cache ends early");
            }
            return buf[pos++] & 0xFF;
        }

        boolean magic() throws IOException {
            for (byte b : MAGIC) {
                if (get() != (b & 0xFF)) {
                    return false;
                }
            }
            return true;
        }

        long varLong() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = get();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("a number in the manifest cache is too long");
        }

        long zigZag() throws IOException {
            long v = varLong();
            return (v >>> 1) ^ -(v & 1);
        }

        int length() throws IOException {
            long n = varLong();
            if (n < 0 || n > MAX_LENGTH) {
                throw new IOException("a length in the manifest cache is out of range: " + n);
            }
            return (int) n;
        }

        int integer() throws IOException {
            long v = zigZag();
            if (v != (int) v) {
                throw new IOException("a number in the manifest cache is out of range: " + v);
            }
            return (int) v;
        }

        boolean bool() throws IOException {
            int b = get();
            if (b > 1) {
                throw new IOException("a flag in the manifest cache is neither 0 nor 1: " + b);
            }
            return b == 1;
        }

        String string() throws IOException {
            long tag = varLong();
            if (tag == 0) {
                return null;
            }
            if (tag >= 2) {
                if (tag - 2 >= strings.size()) {
                    throw new IOException("the manifest cache refers to a string it does not hold");
                }
                return strings.get((int) (tag - 2));
            }
            int n = length();
            byte[] bytes = n <= limit - pos ? null : new byte[n];
            String s;
            if (bytes == null) {
                s = new String(buf, pos, n, StandardCharsets.UTF_8);
                pos += n;
            } else {
                for (int i = 0; i < n; i++) {
                    bytes[i] = (byte) get();
                }
                s = new String(bytes, StandardCharsets.UTF_8);
            }
            strings.add(s);
            return s;
        }

        Instant instant() throws IOException {
            if (!bool()) {
                return null;
            }
            long seconds = zigZag();
            long nanos = varLong();
            if (nanos > 999_999_999L) {
                throw new IOException("an instant in the manifest cache has " + nanos + " nanoseconds");
            }
            return Instant.ofEpochSecond(seconds, nanos);
        }

        List<String> strings() throws IOException {
            int n = length();
            List<String> out = new ArrayList<>(Math.min(n, 16));
            for (int i = 0; i < n; i++) {
                out.add(string());
            }
            return out;
        }

        /** Checks the trailing checksum against what was read, and that nothing follows it. */
        void end() throws IOException {
            crc.update(buf, summedTo, pos - summedTo);
            summedTo = pos;
            long expected = crc.getValue();
            long stored = 0;
            for (int i = 0; i < 8; i++) {
                stored |= (long) get() << (8 * i);
            }
            if (stored != expected) {
                throw new IOException("the manifest cache's checksum does not match its content");
            }
            summedTo = pos;
            if (fill()) {
                throw new IOException("the manifest cache has bytes after its checksum");
            }
        }
    }

    static void write(Writer w, Manifest m) throws IOException {
        w.zigZag(m.formatVersion());
        w.string(m.id());
        w.string(m.database());
        w.string(m.kind());
        ServerInfo s = m.server();
        w.bool(s != null);
        if (s != null) {
            w.string(s.host());
            w.zigZag(s.port());
            w.string(s.dbname());
            w.string(s.user());
            w.string(s.version());
            w.zigZag(s.majorVersion());
        }
        w.string(m.dumpTool());
        w.string(m.format());
        w.string(m.compression());
        w.zigZag(m.sizeBytes());
        w.string(m.sha256());
        w.instant(m.createdAt());
        w.instant(m.finishedAt());
        w.zigZag(m.durationMillis());
        w.string(m.label());
        w.varLong(m.tags().size());
        for (Map.Entry<String, String> t : m.tags().entrySet()) {
            w.string(t.getKey());
            w.string(t.getValue());
        }
        w.string(m.toolVersion());
        w.string(m.rowCounts());
        w.varLong(m.tables().size());
        for (TableSummary t : m.tables()) {
            w.string(t.schema());
            w.string(t.name());
            w.zigZag(t.rows());
            w.bool(t.exact());
        }
        Manifest.Encryption e = m.encryption();
        w.bool(e != null);
        if (e != null) {
            w.string(e.format());
            w.strings(e.recipients());
        }
        Manifest.DirectoryContents d = m.directory();
        w.bool(d != null);
        if (d != null) {
            w.string(d.path());
            w.zigZag(d.entries());
            w.zigZag(d.files());
            w.zigZag(d.directories());
            w.zigZag(d.symlinks());
            w.zigZag(d.fileBytes());
            w.zigZag(d.skipped());
            w.zigZag(d.changed());
            w.strings(d.excludes());
            w.zigZag(d.excluded());
        }
        Manifest.SetRun set = m.set();
        w.bool(set != null);
        if (set != null) {
            w.string(set.name());
            w.string(set.run());
        }
        Manifest.Roles roles = m.roles();
        w.bool(roles != null);
        if (roles != null) {
            w.zigZag(roles.sizeBytes());
            w.string(roles.sha256());
            w.strings(roles.names());
        }
    }

    static Manifest read(Reader r) throws IOException {
        // the builder's calls run in order, each reading its value where write wrote it
        return Manifest.builder()
                .formatVersion(r.integer())
                .id(r.string())
                .database(r.string())
                .kind(r.string())
                .server(
                        r.bool()
                                ? new ServerInfo(
                                        r.string(), r.integer(), r.string(), r.string(), r.string(), r.integer())
                                : null)
                .dumpTool(r.string())
                .format(r.string())
                .compression(r.string())
                .sizeBytes(r.zigZag())
                .sha256(r.string())
                .createdAt(r.instant())
                .finishedAt(r.instant())
                .durationMillis(r.zigZag())
                .label(r.string())
                .tags(tags(r))
                .toolVersion(r.string())
                .rowCounts(r.string())
                .tables(tables(r))
                .encryption(r.bool() ? new Manifest.Encryption(r.string(), r.strings()) : null)
                .directory(r.bool() ? directory(r) : null)
                .set(r.bool() ? new Manifest.SetRun(r.string(), r.string()) : null)
                .roles(r.bool() ? new Manifest.Roles(r.zigZag(), r.string(), r.strings()) : null)
                .build();
    }

    private static Map<String, String> tags(Reader r) throws IOException {
        int tagCount = r.length();
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < tagCount; i++) {
            tags.put(r.string(), r.string());
        }
        return tags;
    }

    private static List<TableSummary> tables(Reader r) throws IOException {
        int tableCount = r.length();
        List<TableSummary> tables = new ArrayList<>(Math.min(tableCount, 64));
        for (int i = 0; i < tableCount; i++) {
            tables.add(new TableSummary(r.string(), r.string(), r.zigZag(), r.bool()));
        }
        return tables;
    }

    private static Manifest.DirectoryContents directory(Reader r) throws IOException {
        return new Manifest.DirectoryContents(
                r.string(),
                r.zigZag(),
                r.zigZag(),
                r.zigZag(),
                r.zigZag(),
                r.zigZag(),
                r.zigZag(),
                r.zigZag(),
                r.strings(),
                r.zigZag());
    }
}
