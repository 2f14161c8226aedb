package dev.lifeboat.core.engine;

/**
 * How to dump.
 *
 * @param exactRowCounts count every table's rows in the dump's own snapshot (slower, exact) instead
 *     of reading the planner's estimates
 * @param compressLevel pg_dump's -Z level, or -1 for its default
 * @param progress told as the dump reaches each table; {@link DumpProgress#NONE} asks the engine for no
 *     progress (and saves it the catalog query and the tool's messages that progress needs)
 */
public record DumpOptions(boolean exactRowCounts, int compressLevel, DumpProgress progress) {
    public DumpOptions {
        progress = progress == null ? DumpProgress.NONE : progress;
    }

    public DumpOptions(boolean exactRowCounts, int compressLevel) {
        this(exactRowCounts, compressLevel, DumpProgress.NONE);
    }

    public static DumpOptions defaults() {
        return new DumpOptions(false, -1);
    }

    /** These options, telling {@code progress} how far the dump is. */
    public DumpOptions withProgress(DumpProgress progress) {
        return new DumpOptions(exactRowCounts, compressLevel, progress);
    }
}
