package dev.lifeboat.core.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a source on a thread of its own, a few buffers ahead of the reader, so that what reading the
 * source costs (a store's reads, the SHA-256 of a hashing stream) runs on a second core beside what the
 * reader does with the bytes (decryption, decompression, a spool file or pg_restore's stdin) instead
 * of taking turns with it. The bytes, the end and the source's failure arrive in the order the source
 * gave them; a failure is thrown again by every later read. Closing stops the thread and closes the
 * source. Memory: {@value #DEPTH} buffers of {@value #BUFFER} bytes, reused.
 *
 * <p>Whatever the source's reads change (a digest, a byte count, a failure flag) may be looked at once
 * this stream returned the end or the failure: the thread made those changes before handing either
 * over.
 */
public final class ReadAhead extends InputStream {
    static final int BUFFER = 256 * 1024;
    static final int DEPTH = 4;

    /** A buffer of bytes, or the end (length -1), or the source's failure. */
    private record Chunk(byte[] data, int length, Throwable failure) {}

    private final InputStream source;
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH + 1);
    private final Thread thread;
    private volatile boolean closed;
    private Chunk current;
    private int pos;

    private ReadAhead(InputStream source, String name) {
        this.source = source;
        for (int i = 0; i < DEPTH + 1; i++) {
            free.add(new byte[BUFFER]);
        }
        this.thread = new Thread(this::fill, name);
        thread.setDaemon(true);
    }

    /** Starts reading {@code source} ahead on a thread named {@code name}. */
    public static ReadAhead start(InputStream source, String name) {
        ReadAhead r = new ReadAhead(source, name);
        r.thread.start();
        return r;
    }

    private void fill() {
        try {
            while (!closed) {
                byte[] buf = free.take();
                int n = 0;
                int got = 0;
                Throwable failure = null;
                try {
                    // whole buffers: fewer hand-overs; a slow source still delivers what it has at its end
                    while (n < buf.length && (got = source.read(buf, n, buf.length - n)) != -1) {
                        n += got;
                    }
                } catch (IOException | RuntimeException | Error e) {
                    failure = e; // after the bytes read before it
                }
                if (n > 0) {
                    filled.put(new Chunk(buf, n, null));
                }
                if (failure != null) {
                    filled.put(new Chunk(null, 0, failure));
                    return;
                }
                if (got == -1) {
                    filled.put(new Chunk(null, -1, null));
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed: nobody reads what is left
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!ready()) {
            return -1;
        }
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.data(), pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && ready()) {
            int k = (int) Math.min(n - skipped, current.length() - pos);
            pos += k;
            skipped += k;
        }
        return skipped;
    }

    @Override
    public int available() {
        return current == null || current.length() < 0 ? 0 : current.length() - pos;
    }

    /** Whether bytes are at hand in {@link #current}; false at the end; the source's failure thrown. */
    private boolean ready() throws IOException {
        if (closed) {
            throw new IOException("read after close");
        }
        while (current == null || (current.length() >= 0 && pos == current.length() && current.failure() == null)) {
            if (current != null && current.data() != null) {
                free.offer(current.data());
            }
            try {
                current = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                current = null;
                throw new InterruptedIOException("interrupted while waiting for the archive's next bytes");
            }
            pos = 0;
        }
        if (current.failure() != null) {
            Throwable f = current.failure();
            if (f instanceof IOException io) {
                throw io;
            }
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(f));
        }
        return current.length() >= 0;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        source.close();
    }
}
