package dev.lifeboat.core.engine;

/**
 * How to dump.
 *
 * @param exactRowCounts count every table's rows in the dump's own snapshot (slower, exact) instead
 *     of reading the planner's estimates
 * @param compressLevel pg_dump's -Z level, or -1 for its default
 */
public record DumpOptions(boolean exactRowCounts, int compressLevel) {
    public static DumpOptions defaults() {
        return new DumpOptions(false, -1);
    }
}
