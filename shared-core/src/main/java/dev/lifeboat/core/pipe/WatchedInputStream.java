package dev.lifeboat.core.pipe;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that remembers whether reading its source failed, so that a reader further down the pipe
 * can tell "the source went away" from a failure of its own (damaged data, a full disk).
 */
public class WatchedInputStream extends FilterInputStream {
    private volatile boolean failed; // set by the thread that reads, asked by the one that reads from it

    public WatchedInputStream(InputStream in) {
        super(in);
    }

    /** Whether a read of the source threw. */
    public final boolean failed() {
        return failed;
    }

    /** Runs before every read; what it throws counts as a failure of the source. */
    protected void beforeRead() throws IOException {}

    @Override
    public int read() throws IOException {
        return watch(super::read);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return watch(() -> super.read(b, off, len));
    }

    private int watch(Read read) throws IOException {
        try {
            beforeRead();
            return read.read();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    private interface Read {
        int read() throws IOException;
    }
}
