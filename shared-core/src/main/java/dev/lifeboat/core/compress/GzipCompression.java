package dev.lifeboat.core.compress;

import dev.lifeboat.core.ErrorCode;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.pipe.ProducingInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
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
    private static final int PIECE = 128 * 1024;

    private GzipCompression() {}

    /**
     * The gzip stream of {@code plain} at {@code level} (1-9, or -1 for zlib's default, 6), produced as
     * it is read. Closing it closes {@code plain}.
     */
    public static InputStream compressing(InputStream plain, int level) {
        if (level != -1 && !Compression.GZIP.acceptsLevel(level)) {
            throw new IllegalArgumentException("gzip level " + level);
        }
        return new CompressingStream(Objects.requireNonNull(plain, "plain"), level);
    }

    /**
     * The content of the gzip stream {@code compressed}; reading it throws an {@code IOException} only
     * when reading {@code compressed} itself fails. Closing it closes {@code compressed}.
     */
    public static InputStream decompressing(InputStream compressed) {
        return new DecompressingStream(new SourceStream(Objects.requireNonNull(compressed, "compressed")));
    }

    /** Whether {@code head} (the first stored bytes) starts like a gzip member. */
    public static boolean hasMagic(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    private static LifeboatException damaged(IOException e) {
        return new LifeboatException(
                ErrorCode.INTEGRITY_FAILED,
                "the gzip-compressed backup is damaged or truncated (" + e.getMessage() + ")",
                "the stored bytes were altered: verify the checksum and use another copy",
                e);
    }

    private static final class CompressingStream extends ProducingInputStream {
        private final InputStream plain;
        private final int level;
        private final byte[] piece = new byte[PIECE];
        private GZIPOutputStream gzip;
        private boolean finished;

        CompressingStream(InputStream plain, int level) {
            this.plain = plain;
            this.level = level;
        }

        @Override
        protected boolean produce() throws IOException {
            if (gzip == null) {
                gzip = new GZIPOutputStream(sink(), PIECE) {
                    {
                        def.setLevel(level == -1 ? Deflater.DEFAULT_COMPRESSION : level);
                    }
                };
            }
            int n = plain.read(piece, 0, piece.length);
            if (n == -1) {
                gzip.close(); // the last block and the trailer (CRC-32 and length)
                finished = true;
            } else if (n > 0) {
                gzip.write(piece, 0, n);
            }
            return !finished;
        }

        @Override
        protected void release() throws IOException {
            try {
                plain.close();
            } finally {
                if (gzip != null && !finished) {
                    gzip.close(); // frees the native deflater; what it writes is discarded
                }
            }
        }
    }

    /** Remembers whether the underlying stream failed, to tell a read error from damaged data. */
    private static final class SourceStream extends FilterInputStream {
        private boolean failed;

        SourceStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    /** GZIPInputStream opened on the first read (its constructor reads the header), data errors as damage. */
    private static final class DecompressingStream extends InputStream {
        private final SourceStream source;
        private GZIPInputStream gzip;

        DecompressingStream(SourceStream source) {
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            try {
                if (gzip == null) {
                    gzip = new GZIPInputStream(source, PIECE);
                }
                return gzip.read(b, off, len);
            } catch (IOException e) {
                if (source.failed) {
                    throw e;
                }
                throw damaged(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (gzip != null) {
                gzip.close();
            } else {
                source.close();
            }
        }
    }
}
