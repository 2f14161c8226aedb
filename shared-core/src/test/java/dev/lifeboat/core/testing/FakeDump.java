package dev.lifeboat.core.testing;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.pipe.BulkReadInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A dump started by {@link FakeDumpEngine}: its data is the {@link FakeArchive} of the source's tables
 * as they were when it started. Keeps {@link Dump}'s contract as pg_dump's does: a failure is thrown
 * from {@code read} (and again on every later read and from {@link #finish()}), the end of the data
 * is reported only when the dump succeeded, {@link #finish()} before the end is INTERNAL, and an
 * abort (or closing the dump or its data before the end) makes reads fail with CANCELLED.
 */
public final class FakeDump implements Dump {
    private final FakeDumpEngine engine;
    private final ConnectionSpec source;
    private final DumpOptions options;
    private final ServerInfo server;
    private final SortedMap<String, List<String>> tables;
    private final LifeboatException armed;
    private final long failAfter;
    private final InputStream archive;
    private final InputStream data = new Data();

    private long read;
    private boolean ended;
    private boolean aborted;
    private LifeboatException failure;
    private Result result;

    FakeDump(
            FakeDumpEngine engine,
            ConnectionSpec source,
            DumpOptions options,
            ServerInfo server,
            SortedMap<String, List<String>> tables,
            LifeboatException armed) {
        this.engine = engine;
        this.source = source;
        this.options = options;
        this.server = server;
        this.tables = tables;
        this.armed = armed;
        this.failAfter = armed == null ? Long.MAX_VALUE : engine.dumpFailsAfter();
        this.archive = FakeArchive.stream(server.version(), tables);
    }

    /** The database dumped. */
    public ConnectionSpec source() {
        return source;
    }

    /** The options it was started with. */
    public DumpOptions options() {
        return options;
    }

    /** How many bytes of its data were read. */
    public synchronized long bytesRead() {
        return read;
    }

    /** Whether {@link #finish()} returned a result. */
    public synchronized boolean finished() {
        return result != null;
    }

    /** Whether it was aborted (directly, or by closing it or its data before the end). */
    public synchronized boolean aborted() {
        return aborted;
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
        LifeboatException fault = engine.fault(FakeDumpEngine.Step.FINISH_DUMP, source);
        if (fault != null) {
            failure = fault;
            throw fault;
        }
        List<TableSummary> summaries = new ArrayList<>();
        tables.forEach((t, rows) -> {
            String[] sn = t.split("\\.", 2);
            summaries.add(new TableSummary(sn[0], sn[1], rows.size(), options.exactRowCounts()));
        });
        engine.record("finishDump " + source.dbname());
        result = new Result(
                engine.toolVersion(),
                options.compressLevel() == 0 ? "none" : "gzip",
                List.copyOf(summaries),
                options.exactRowCounts());
        return result;
    }

    @Override
    public synchronized void abort() {
        if (!aborted && result == null) {
            aborted = true;
            engine.record("abortDump " + source.dbname());
        }
    }

    @Override
    public synchronized void close() {
        if (result == null) {
            abort();
        }
    }

    private synchronized int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw failure;
        }
        if (aborted) {
            failure = new LifeboatException(ErrorCode.CANCELLED, "pg_dump was cancelled", null);
            throw failure;
        }
        if (ended) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (read >= failAfter) {
            failure = armed;
            throw failure;
        }
        int n = archive.read(b, off, (int) Math.min(len, failAfter - read));
        if (n < 0) {
            if (armed != null) {
                // a dump shorter than the failure point fails at its end, as pg_dump's exit status does
                failure = armed;
                throw failure;
            }
            ended = true;
            return -1;
        }
        read += n;
        return n;
    }

    /** The consumer's view of the dump's output. */
    private final class Data extends BulkReadInputStream {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return FakeDump.this.read(b, off, len);
        }

        @Override
        public void close() {
            synchronized (FakeDump.this) {
                if (ended || failure != null) {
                    return;
                }
            }
            abort(); // given up before the end, as pg_dump's stream: stop the dump
        }
    }
}
