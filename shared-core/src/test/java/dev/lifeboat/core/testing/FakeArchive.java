package dev.lifeboat.core.testing;

import dev.lifeboat.core.engine.TableContent;
import dev.lifeboat.core.pipe.BulkReadInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The archive {@link FakeDumpEngine} dumps and restores: a line-oriented text that starts with
 * pg_dump's custom-format magic {@code PGDMP}, so the core's format checks accept it, followed by a
 * table of contents and then each table's rows, ending with an {@code end} line so a truncated
 * archive is told from a whole one. The same tables always give the same bytes.
 *
 * <pre>
 * PGDMP lifeboat-fake-archive 1
 * server 15.19
 * toc 2
 * public.accounts 3
 * public.orders 5
 * data public.accounts
 * 1	public.accounts row 1
 * ...
 * \.
 * data public.orders
 * ...
 * \.
 * end
 * </pre>
 */
public final class FakeArchive {
    static final String MAGIC_LINE = "PGDMP lifeboat-fake-archive 1";

    private FakeArchive() {}

    /** The rows of a generated table: {@code "<i>\t<table> row <i>"} for i = 1..rows. */
    public static List<String> rows(String table, long rows) {
        List<String> out = new ArrayList<>();
        for (long i = 1; i <= rows; i++) {
            out.add(i + "\t" + table + " row " + i);
        }
        return out;
    }

    /** The archive of {@code tables} (schema-qualified name to rows), streamed as it is read. */
    public static InputStream stream(String serverVersion, SortedMap<String, List<String>> tables) {
        List<String> head = new ArrayList<>(List.of(MAGIC_LINE, "server " + serverVersion, "toc " + tables.size()));
        tables.forEach((t, rows) -> head.add(t + " " + rows.size()));
        Iterator<String> body = new Iterator<>() {
            private final Iterator<Map.Entry<String, List<String>>> t =
                    tables.entrySet().iterator();
            private Iterator<String> lines = head.iterator();
            private boolean ended;

            @Override
            public boolean hasNext() {
                while (!lines.hasNext()) {
                    if (t.hasNext()) {
                        Map.Entry<String, List<String>> e = t.next();
                        List<String> block = new ArrayList<>(e.getValue().size() + 2);
                        block.add("data " + e.getKey());
                        block.addAll(e.getValue());
                        block.add("\\.");
                        lines = block.iterator();
                    } else if (!ended) {
                        ended = true;
                        lines = List.of("end").iterator();
                    } else {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return lines.next();
            }
        };
        return new LineStream(body);
    }

    /** The whole archive of {@code tables} as bytes. */
    public static byte[] bytes(String serverVersion, SortedMap<String, List<String>> tables) {
        try (InputStream in = stream(serverVersion, tables)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The table of contents: each table with its row count, in archive order. Reads only the header
     * and the table of contents of {@code in} and leaves it open.
     *
     * @throws Malformed when the stream is not a fake archive
     */
    public static Map<String, Long> toc(InputStream in) throws IOException {
        if (!MAGIC_LINE.equals(line(in))) {
            throw new Malformed("input file does not appear to be a valid archive");
        }
        String server = line(in);
        String toc = line(in);
        if (server == null || !server.startsWith("server ") || toc == null || !toc.startsWith("toc ")) {
            throw new Malformed("could not read input file: end of file");
        }
        Map<String, Long> out = new LinkedHashMap<>();
        int n = Integer.parseInt(toc.substring(4));
        for (int i = 0; i < n; i++) {
            String entry = line(in);
            int space = entry == null ? -1 : entry.lastIndexOf(' ');
            if (space < 0) {
                throw new Malformed("could not read input file: end of file");
            }
            out.put(entry.substring(0, space), Long.parseLong(entry.substring(space + 1)));
        }
        return out;
    }

    /**
     * Every table's rows, read to the {@code end} line.
     *
     * @throws Malformed when the archive is not a fake archive, is truncated, or its rows disagree
     *     with its table of contents
     */
    public static SortedMap<String, List<String>> read(InputStream in) throws IOException {
        Map<String, Long> toc = toc(in);
        SortedMap<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, Long> e : toc.entrySet()) {
            if (!("data " + e.getKey()).equals(line(in))) {
                throw new Malformed("could not read input file: end of file");
            }
            List<String> rows = new ArrayList<>();
            for (String row = line(in); !"\\.".equals(row); row = line(in)) {
                if (row == null) {
                    throw new Malformed("could not read input file: end of file");
                }
                rows.add(row);
            }
            if (rows.size() != e.getValue()) {
                throw new Malformed(
                        "table " + e.getKey() + " has " + rows.size() + " rows, its entry says " + e.getValue());
            }
            out.put(e.getKey(), Collections.unmodifiableList(rows));
        }
        if (!"end".equals(line(in))) {
            throw new Malformed("could not read input file: end of file");
        }
        return out;
    }

    /** Each table's rows counted and digested, order-independently, as the drill compares them. */
    public static Map<String, TableContent> contents(SortedMap<String, List<String>> tables) {
        Map<String, TableContent> out = new TreeMap<>();
        tables.forEach((t, rows) -> out.put(t, new TableContent(rows.size(), digest(rows))));
        return out;
    }

    /** The sum of each row's truncated SHA-256: the same rows give the same digest in any order. */
    static String digest(List<String> rows) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long sum = 0;
            for (String row : rows) {
                byte[] h = sha.digest(row.getBytes(StandardCharsets.UTF_8));
                long v = 0;
                for (int i = 0; i < 8; i++) {
                    v = (v << 8) | (h[i] & 0xff);
                }
                sum += v;
            }
            return String.format("%016x", sum);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line without its '\n', read a byte at a time so nothing past it is taken; null at the end. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null; // a line without its '\n' is a truncated one
            }
            buf.write(b);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** The archive is not a whole fake archive; the message is what pg_restore would say. */
    public static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** The bytes of a sequence of lines, each followed by '\n', produced as they are read. */
    private static final class LineStream extends BulkReadInputStream {
        private final Iterator<String> lines;
        private byte[] current = new byte[0];
        private int pos;

        LineStream(Iterator<String> lines) {
            this.lines = lines;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                if (pos == current.length) {
                    if (!lines.hasNext()) {
                        break;
                    }
                    current = (lines.next() + "\n").getBytes(StandardCharsets.UTF_8);
                    pos = 0;
                }
                int k = Math.min(len - n, current.length - pos);
                System.arraycopy(current, pos, b, off + n, k);
                pos += k;
                n += k;
            }
            return n == 0 ? -1 : n;
        }
    }
}
