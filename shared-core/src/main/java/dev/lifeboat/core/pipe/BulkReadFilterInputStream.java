package dev.lifeboat.core.pipe;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A FilterInputStream whose logic lives in {@code read(byte[], int, int)} alone: its single-byte read
 * is a bulk read of one byte, never a read of the wrapped stream that would bypass that logic.
 */
public abstract class BulkReadFilterInputStream extends FilterInputStream {
    protected BulkReadFilterInputStream(InputStream in) {
        super(in);
    }

    @Override
    public final int read() throws IOException {
        return Streams.readOne(this);
    }
}
