package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ChildProcess;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.TableContent;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads plain SQL as pg_dump and pg_restore write it and digests the rows of every
 * {@code COPY ... FROM stdin;} block, a byte at a time so memory stays flat whatever the table size.
 * Comparing the digests of an archive's data section with those of a restored database proves the
 * restore carried every row, without holding either in memory.
 */
final class CopyBlocks {
    private static final int MAX_HEADER = 1 << 20;

    private CopyBlocks() {}

    /** Table ("schema.name", unquoted) to its content, in the order the blocks appear. */
    static Map<String, TableContent> digest(InputStream sql) throws IOException {
        Map<String, TableContent> out = new LinkedHashMap<>();
        MessageDigest sha = sha256();
        InputStream in = new BufferedInputStream(sql, 1 << 16);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        String table = null;
        long rows = 0;
        long sum = 0;
        boolean lineIsEndMarker = true; // "\." so far
        int lineLength = 0;
        int b;
        while ((b = in.read()) != -1) {
            if (table == null) {
                if (b == '\n') {
                    String line = header.toString(StandardCharsets.UTF_8);
                    header.reset();
                    table = copyTarget(line);
                    rows = 0;
                    sum = 0;
                } else if (header.size() < MAX_HEADER) {
                    header.write(b);
                }
                continue;
            }
            if (b == '\n') {
                if (lineIsEndMarker && lineLength == 2) {
                    out.merge(table, new TableContent(rows, hex(sum)), CopyBlocks::combine);
                    table = null;
                } else {
                    rows++;
                    sum += first8(sha.digest());
                }
                sha.reset();
                lineIsEndMarker = true;
                lineLength = 0;
            } else {
                sha.update((byte) b);
                lineIsEndMarker &= lineLength == 0 ? b == '\\' : lineLength == 1 && b == '.';
                lineLength++;
            }
        }
        return out;
    }

    /** The table a {@code COPY <table> [(columns)] FROM stdin;} line loads, unquoted, or null for any other line. */
    static String copyTarget(String line) {
        if (!line.startsWith("COPY ") || !line.endsWith(" FROM stdin;")) {
            return null;
        }
        int[] pos = {5};
        String first = identifier(line, pos);
        if (first == null) {
            return null;
        }
        if (pos[0] < line.length() && line.charAt(pos[0]) == '.') {
            pos[0]++;
            String second = identifier(line, pos);
            return second == null ? null : first + "." + second;
        }
        return "public." + first;
    }

    private static String identifier(String s, int[] pos) {
        int i = pos[0];
        if (i >= s.length()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (s.charAt(i) == '"') {
            i++;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        sb.append('"');
                        i += 2;
                        continue;
                    }
                    pos[0] = i + 1;
                    return sb.toString();
                }
                sb.append(c);
                i++;
            }
            return null;
        }
        while (i < s.length() && s.charAt(i) != '.' && s.charAt(i) != ' ') {
            sb.append(s.charAt(i));
            i++;
        }
        pos[0] = i;
        return sb.isEmpty() ? null : sb.toString();
    }

    private static TableContent combine(TableContent a, TableContent b) {
        // a table split over several blocks: the digest is a sum, so the parts add up
        return new TableContent(
                a.rows() + b.rows(),
                hex(Long.parseUnsignedLong(a.digest(), 16) + Long.parseUnsignedLong(b.digest(), 16)));
    }

    private static long first8(byte[] d) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return v;
    }

    private static String hex(long v) {
        return HexFormat.of().toHexDigits(v);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The digests of what {@code child} (pg_dump or pg_restore writing plain SQL) prints, read on a
     * thread of its own while the child runs; TOOL_FAILED when it fails or prints nothing readable.
     */
    static Map<String, TableContent> digestOutput(ChildProcess child, String what, ConnectionSpec spec) {
        AtomicReference<Map<String, TableContent>> result = new AtomicReference<>();
        AtomicReference<IOException> readFailure = new AtomicReference<>();
        Thread reader = new Thread(
                () -> {
                    try (InputStream in = child.stdout()) {
                        result.set(digest(in));
                    } catch (IOException e) {
                        readFailure.set(e);
                    }
                },
                what + "-stdout-" + child.pid());
        reader.setDaemon(true);
        reader.start();
        int code = child.waitFor();
        try {
            reader.join();
        } catch (InterruptedException e) {
            child.kill();
            throw child.cancelled();
        }
        if (code != 0) {
            throw PgErrors.failed(what, code, child.stderr(), spec);
        }
        if (readFailure.get() != null || result.get() == null) {
            throw new LifeboatException(
                    ErrorCode.TOOL_FAILED,
                    "cannot read the output of " + what + ": "
                            + (readFailure.get() == null
                                    ? "no output"
                                    : readFailure.get().getMessage()),
                    null);
        }
        return result.get();
    }
}
