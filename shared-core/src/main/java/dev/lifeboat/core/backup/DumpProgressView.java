package dev.lifeboat.core.backup;

import dev.lifeboat.core.base.ByteSizes;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.engine.DumpProgress;
import java.util.function.LongConsumer;

/**
 * A database backup's progress as one series: when the engine measured the database (the size of its
 * tables), the amount is how much of that is dumped, against that total, and the bytes written so far
 * go into the message; otherwise the amount is the bytes written, without a total. Fed from two threads:
 * the engine's as it reaches each table, the upload's as bytes are stored.
 */
final class DumpProgressView implements DumpProgress, LongConsumer {
    private final Progress out;
    private final String doing;
    private long written;
    private long done;
    private long total = -1;
    private String table;
    private int index;
    private int count;

    DumpProgressView(Progress out, String doing) {
        this.out = out;
        this.doing = doing;
    }

    @Override
    public synchronized void sized(long totalBytes, int count) {
        if (totalBytes > 0) {
            this.total = totalBytes;
            this.count = count;
            report();
        }
    }

    @Override
    public synchronized void tableStarted(String table, long doneBytes, long totalBytes, int index, int count) {
        this.table = table;
        this.done = doneBytes;
        this.index = index;
        this.count = count;
        if (totalBytes > 0) {
            this.total = totalBytes;
        }
        report();
    }

    /** The bytes stored so far. */
    @Override
    public synchronized void accept(long bytes) {
        written = bytes;
        report();
    }

    private void report() {
        if (total <= 0) {
            out.report(written, -1, doing);
            return;
        }
        String where = table == null ? "" : ", table " + table + " (" + index + " of " + count + ")";
        // never the whole total while dumping: the indexes and constraints come after the last table
        out.report(Math.min(done, total - 1), total, doing + ": " + ByteSizes.human(written) + " written" + where);
    }
}
