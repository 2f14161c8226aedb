package dev.lifeboat.core.engine;

/**
 * How far a dump is, in the units a database has before it is dumped: the bytes of its tables. Called
 * as the tool starts on each table's data, from the thread that reads the tool's messages.
 */
@FunctionalInterface
public interface DumpProgress {
    DumpProgress NONE = (table, doneBytes, totalBytes, index, count) -> {};

    /** Once, before the dump starts: what there is to dump, when the engine measures it. */
    default void sized(long totalBytes, int count) {}

    /**
     * @param table the table whose data is being dumped now, schema-qualified
     * @param doneBytes the size of the tables dumped before it
     * @param totalBytes the size of every table to dump (the estimate a progress bar needs)
     * @param index its position, from 1
     * @param count how many tables have data to dump
     */
    void tableStarted(String table, long doneBytes, long totalBytes, int index, int count);
}
