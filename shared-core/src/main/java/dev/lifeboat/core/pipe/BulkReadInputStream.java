package dev.lifeboat.core.pipe;

import java.io.IOException;
import java.io.InputStream;

/**
 * An InputStream whose logic lives in {@code read(byte[], int, int)} alone: its single-byte read is
 * a bulk read of one byte.
 */
public abstract class BulkReadInputStream extends InputStream {
    @Override
    public final int read() throws IOException {
        return Streams.readOne(this);
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
