package dev.lifeboat.core.engine;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.InputStream;
import java.util.List;

/**
 * A running dump. Read {@link #data()} to its end, then call {@link #finish()}; or call
 * {@link #abort()} to stop it. Closing aborts a dump that was not finished.
 */
public interface Dump extends AutoCloseable {

    /**
     * The archive bytes as the tool writes them. A failure of the tool shows as a
     * {@link dev.lifeboat.core.base.LifeboatException} (TOOL_FAILED, DATABASE_UNREACHABLE...) thrown from
     * {@code read}, at the latest when the end of the stream is reached, so a consumer that reads to
     * the end never mistakes a truncated dump for a complete one.
     */
    InputStream data();

    /** The server being dumped, as learnt on the connection that started the dump. */
    dev.lifeboat.core.engine.ServerInfo server();

    /** Waits for the tool to exit and reports what was dumped; throws if it failed. */
    Result finish();

    /**
     * What {@link #finish()} throws when {@link #data()} was not read to its end, after aborting the
     * dump: one refusal for every implementation (the fakes keep the contract word for word).
     */
    static LifeboatException finishedEarly() {
        return new LifeboatException(
                ErrorCode.INTERNAL,
                "the dump was finished before its data was read to the end; it has been aborted",
                null);
    }

    /** Kills the tool (and anything it started). Safe to call more than once. */
    void abort();

    @Override
    void close();

    /**
     * @param toolVersion e.g. "pg_dump (PostgreSQL) 15.19"
     * @param compression the archive's compression, e.g. "gzip" or "none"
     * @param tables the tables dumped, with row counts
     * @param exactRowCounts whether the counts were taken in the dump's snapshot
     */
    record Result(String toolVersion, String compression, List<TableSummary> tables, boolean exactRowCounts) {}
}
