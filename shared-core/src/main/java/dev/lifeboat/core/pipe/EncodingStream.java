package dev.lifeboat.core.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A push-style encoder (a codec's or the encryptor's OutputStream) in Lifeboat's pull-style pipe:
 * reading it reads the plain bytes in pieces and writes them through the encoder, opened on the first
 * read. Closing it early still closes the encoder, which frees its native state (what it writes then
 * is discarded).
 */
public final class EncodingStream extends ProducingInputStream {
    /** Opens the encoder writing into {@code sink}. */
    public interface Encoder {
        OutputStream open(OutputStream sink) throws IOException;
    }

    /** How much plain input a compressor is given at a time. */
    public static final int PIECE = 128 * 1024;

    private final InputStream plain;
    private final Encoder encoder;
    private final byte[] piece;
    private OutputStream encoding;
    private boolean finished;

    public EncodingStream(InputStream plain, Encoder encoder) {
        this(plain, PIECE, encoder);
    }

    /** @param piece how many plain bytes to hand the encoder at a time */
    public EncodingStream(InputStream plain, int piece, Encoder encoder) {
        this.plain = plain;
        this.piece = new byte[piece];
        this.encoder = encoder;
    }

    @Override
    protected boolean produce() throws IOException {
        if (encoding == null) {
            encoding = encoder.open(sink());
        }
        int n = plain.read(piece, 0, piece.length);
        if (n == -1) {
            encoding.close(); // the last block and the codec's trailer (checksum, length)
            finished = true;
        } else if (n > 0) {
            encoding.write(piece, 0, n);
        }
        return !finished;
    }

    @Override
    protected void release() throws IOException {
        try {
            plain.close();
        } finally {
            if (encoding != null && !finished) {
                try {
                    encoding.close();
                } catch (IOException ignored) {
                    // the failure that abandoned the stream matters more
                }
            }
        }
    }
}
