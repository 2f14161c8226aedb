package dev.lifeboat.core.compress;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.pipe.BulkReadInputStream;
import dev.lifeboat.core.pipe.WatchedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A codec's decompressing stream, opened on the first read, whose data errors are reported as damage
 * (INTEGRITY_FAILED) while a failure of the stored stream itself stays an {@code IOException}: a
 * caller must tell "the backup is damaged" from "the store went away".
 */
final class DecodingStream extends BulkReadInputStream {
    /** Opens the decoder reading from {@code source}. */
    interface Decoder {
        InputStream open(InputStream source) throws IOException;
    }

    private final WatchedInputStream source;
    private final String method;
    private final Decoder decoder;
    private InputStream decoded;

    DecodingStream(InputStream compressed, String method, Decoder decoder) {
        this.source = new WatchedInputStream(Objects.requireNonNull(compressed, "compressed"));
        this.method = method;
        this.decoder = decoder;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        try {
            if (decoded == null) {
                decoded = decoder.open(source);
            }
            return decoded.read(b, off, len);
        } catch (IOException e) {
            if (source.failed()) {
                throw e;
            }
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    "the " + method + "-compressed backup is damaged or truncated (" + e.getMessage() + ")",
                    "the stored bytes were altered: verify the checksum and use another copy",
                    e);
        }
    }

    @Override
    public void close() throws IOException {
        if (decoded != null) {
            decoded.close();
        } else {
            source.close();
        }
    }
}
