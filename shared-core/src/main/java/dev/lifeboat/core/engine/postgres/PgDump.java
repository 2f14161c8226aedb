package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.engine.ChildProcess;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.pipe.BulkReadInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running pg_dump. Its stdout is pumped by a background thread into a small queue of chunks, so the
 * consumer waits on the queue, which an interrupt can break, and not on the pipe, which it cannot.
 * The end of the data is reported only after pg_dump exited with 0.
 */
final class PgDump implements Dump {
    private static final int CHUNK = 64 * 1024;
    private static final byte[] END = new byte[0];

    private final ChildProcess child;
    private final PgTools.PgTool tool;
    private final ConnectionSpec source;
    private final ServerInfo server;
    private final String compression;
    private final List<TableSummary> estimates;
    private final SnapshotCounts counts;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(8);
    private final Thread pump;
    private final InputStream data = new Data();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private volatile IOException pumpFailure;

    private boolean ended;
    private LifeboatException failure;
    private volatile Result result;

    /** @param counts the row counter holding the snapshot's transaction, or null to report {@code estimates} */
    PgDump(
            ChildProcess child,
            PgTools.PgTool tool,
            ConnectionSpec source,
            ServerInfo server,
            String compression,
            List<TableSummary> estimates,
            SnapshotCounts counts) {
        this.child = child;
        this.tool = tool;
        this.source = source;
        this.server = server;
        this.compression = compression;
        this.estimates = estimates;
        this.counts = counts;
        this.pump = new Thread(this::pump, "pg_dump-stdout-" + child.pid());
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public InputStream data() {
        return data;
    }

    @Override
    public ServerInfo server() {
        return server;
    }

    @Override
    public synchronized Result finish() {
        if (result != null) {
            return result;
        }
        if (failure != null) {
            throw failure;
        }
        if (!ended) {
            abort();
            throw Dump.finishedEarly();
        }
        List<TableSummary> tables = estimates;
        if (counts != null) {
            try {
                tables = counts.await();
            } catch (LifeboatException e) {
                abort();
                failure = e;
                throw e;
            } finally {
                counts.close();
            }
        }
        result = new Result(tool.versionLine(), compression, tables, counts != null);
        return result;
    }

    @Override
    public void abort() {
        if (aborted.compareAndSet(false, true)) {
            child.kill();
            pump.interrupt();
            // wake a consumer waiting for the next chunk; it then reports CANCELLED
            while (!chunks.offer(END)) {
                chunks.clear();
            }
            if (counts != null) {
                counts.close();
            }
        }
    }

    @Override
    public void close() {
        if (result == null) {
            abort();
        }
    }

    /** Runs when the consumer took the end marker: the data is complete only if pg_dump says so. */
    private void complete() {
        int code;
        try {
            code = child.waitFor();
        } catch (LifeboatException e) { // interrupted while waiting: child killed, CANCELLED
            abort();
            throw fail(e);
        }
        if (aborted.get() || child.wasKilled()) {
            throw fail(child.cancelled());
        }
        if (code != 0) {
            if (counts != null) {
                counts.close();
            }
            throw fail(PgErrors.failed("pg_dump", code, child.stderr(), source));
        }
        if (pumpFailure != null) {
            throw fail(new LifeboatException(
                    ErrorCode.TOOL_FAILED,
                    "reading pg_dump's output failed: " + pumpFailure.getMessage(),
                    null,
                    pumpFailure));
        }
        ended = true;
    }

    private LifeboatException fail(LifeboatException e) {
        failure = e;
        return e;
    }

    /** Only the pump thread reads and writes it: the timeline's "first bytes" mark, once. */
    private boolean seenData;

    /**
     * Hands over whole chunks: pg_dump writes its stdout in 4 KiB pieces, and handing each over on its
     * own (a queue put and a wake-up of the consumer per piece, ~70,000 for a 280 MB dump) cost the
     * two threads more CPU than the bytes did. A chunk is handed over when full or at the end.
     */
    private void pump() {
        try (InputStream in = child.stdout()) {
            boolean end = false;
            while (!end) {
                byte[] buf = new byte[CHUNK];
                int filled = 0;
                while (filled < CHUNK) {
                    int n = in.read(buf, filled, CHUNK - filled);
                    if (n < 0) {
                        end = true;
                        break;
                    }
                    if (n > 0 && !seenData) {
                        seenData = true;
                        Timeline.mark("pg_dump: first bytes of the archive");
                    }
                    filled += n;
                }
                if (filled > 0) {
                    chunks.put(filled == CHUNK ? buf : Arrays.copyOf(buf, filled));
                }
            }
            Timeline.mark("pg_dump: end of its output");
        } catch (IOException e) {
            if (!aborted.get()) {
                pumpFailure = e;
            }
        } catch (InterruptedException e) {
            return; // aborted: nobody waits for the end marker
        }
        try {
            chunks.put(END);
        } catch (InterruptedException e) {
            // aborted while the consumer was not reading: nobody waits for the end marker
        }
    }

    /** The consumer's view of pg_dump's stdout. */
    private final class Data extends BulkReadInputStream {
        private byte[] current = END;
        private int pos;

        @Override
        public int read(byte[] b, int off, int len) {
            synchronized (PgDump.this) {
                Objects.checkFromIndexSize(off, len, b.length);
                if (failure != null) {
                    throw failure;
                }
                if (ended) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                if (pos == current.length) {
                    byte[] next;
                    try {
                        next = chunks.take();
                    } catch (InterruptedException e) {
                        abort();
                        throw fail(child.cancelled());
                    }
                    if (next == END) {
                        complete();
                        return -1;
                    }
                    current = next;
                    pos = 0;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        }

        @Override
        public int available() {
            return current.length - pos;
        }

        @Override
        public void close() {
            synchronized (PgDump.this) {
                if (ended || failure != null) {
                    return;
                }
            }
            // closing the stream before its end means the consumer gave up: stop pg_dump
            abort();
        }
    }
}
