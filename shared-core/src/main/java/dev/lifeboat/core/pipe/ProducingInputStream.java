package dev.lifeboat.core.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * An InputStream whose bytes a producer writes on demand: when a reader finds the buffer empty, the
 * subclass's {@link #produce} writes the next piece into {@link #sink()} (an encryptor's chunk, the
 * next tar blocks). This lets a push-style encoder sit in Lifeboat's pull-style pipe without a thread
 * or a pipe, and memory stays at about one produced piece.
 */
public abstract class ProducingInputStream extends InputStream {
    private final Buffer sink = new Buffer();
    private boolean finished;
    private boolean closed;

    /** Where {@link #produce} writes. */
    protected final OutputStream sink() {
        return sink;
    }

    /**
     * Writes the next bytes into {@link #sink()}; returns false once everything has been written
     * (after writing the last bytes, if any). Called only while the buffer is empty.
     */
    protected abstract boolean produce() throws IOException;

    /** Releases the producer's input; called once, by the first {@link #close}. */
    protected void release() throws IOException {}

    @Override
    public final int read() throws IOException {
        return Streams.readOne(this);
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (sink.available() == 0 && !finished) {
            finished = !produce();
        }
        if (sink.available() == 0) {
            return -1;
        }
        return sink.take(b, off, len);
    }

    @Override
    public final int available() {
        return sink.available();
    }

    @Override
    public final void close() throws IOException {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** A growable byte buffer written at the end and drained from the front. */
    private static final class Buffer extends OutputStream {
        private byte[] buf = new byte[64 * 1024];
        private int start;
        private int end;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int n) {
            if (buf.length - end < n) {
                // move what is left to the front, grow only if that is not enough
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
                if (buf.length - end < n) {
                    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + n));
                }
            }
            System.arraycopy(b, off, buf, end, n);
            end += n;
        }

        int available() {
            return end - start;
        }

        int take(byte[] b, int off, int len) {
            int n = Math.min(len, end - start);
            System.arraycopy(buf, start, b, off, n);
            start += n;
            if (start == end) {
                start = 0;
                end = 0;
            }
            return n;
        }
    }
}
