package dev.lifeboat.core.compress;

import dev.lifeboat.core.pipe.EncodingStream;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * gzip in Lifeboat's pull-style pipe, with the JDK's {@code java.util.zip}: used for a directory's tar
 * when gzip is chosen (a database's gzip is pg_dump's own, inside the archive). Single-threaded, so
 * zstd is the better choice for large directories; gzip is here so a store configured with {@code
 * compression: gzip} means the same thing for every backup in it, and the result is a plain {@code
 * .tar.gz} ({@code tar -xzf} reads it). Damaged or truncated data read back is INTEGRITY_FAILED
 * thrown from {@code read}; an {@code IOException} always comes from the underlying stream.
 */
public final class GzipCompression {
    private GzipCompression() {}

    /**
     * The gzip stream of {@code plain} at {@code level} (1-9, or -1 for zlib's default, 6), produced as
     * it is read. Closing it closes {@code plain}.
     */
    public static InputStream compressing(InputStream plain, int level) {
        if (level != -1 && !Compression.GZIP.acceptsLevel(level)) {
            throw new IllegalArgumentException("gzip level " + level);
        }
        Objects.requireNonNull(plain, "plain");
        return new EncodingStream(plain, sink -> new GZIPOutputStream(sink, EncodingStream.PIECE) {
            {
                def.setLevel(level == -1 ? Deflater.DEFAULT_COMPRESSION : level);
            }
        });
    }

    /**
     * The content of the gzip stream {@code compressed}; reading it throws an {@code IOException} only
     * when reading {@code compressed} itself fails. Closing it closes {@code compressed}.
     */
    public static InputStream decompressing(InputStream compressed) {
        return new DecodingStream(compressed, "gzip", source -> new GZIPInputStream(source, EncodingStream.PIECE));
    }

    /** Whether {@code head} (the first stored bytes) starts like a gzip member. */
    public static boolean hasMagic(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }
}
