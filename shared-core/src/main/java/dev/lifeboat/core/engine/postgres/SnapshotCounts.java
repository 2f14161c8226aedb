package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.TableSummary;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exact row counts taken in the transaction that exported pg_dump's snapshot, so they describe exactly
 * the dumped data. Counting runs in the background while pg_dump works; the transaction stays open
 * until {@link #close()}, which the dump calls only after pg_dump has exited.
 */
final class SnapshotCounts implements AutoCloseable {
    private final Connection connection;
    private final ConnectionSpec source;
    private final List<TableSummary> tables;
    private final FutureTask<List<TableSummary>> task;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param connection a connection inside the REPEATABLE READ transaction that exported the snapshot */
    SnapshotCounts(Connection connection, ConnectionSpec source, List<TableSummary> tables) {
        this.connection = connection;
        this.source = source;
        this.tables = List.copyOf(tables);
        this.task = new FutureTask<>(this::count);
    }

    void start() {
        Thread t = new Thread(task, "lifeboat-row-counts");
        t.setDaemon(true);
        t.start();
    }

    /** The counted tables; CANCELLED when interrupted, the SQL failure otherwise. */
    List<TableSummary> await() {
        try {
            return task.get();
        } catch (InterruptedException e) {
            close();
            throw new LifeboatException(ErrorCode.CANCELLED, "counting rows was cancelled", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException se) {
                throw PgJdbc.translate(se, source, "count the rows of the tables of");
            }
            if (e.getCause() instanceof LifeboatException le) {
                throw le;
            }
            throw new LifeboatException(
                    ErrorCode.INTERNAL, "counting rows failed: " + e.getCause(), null, e.getCause());
        }
    }

    private List<TableSummary> count() throws SQLException {
        List<TableSummary> out = new ArrayList<>(tables.size());
        try (Statement st = connection.createStatement()) {
            for (TableSummary t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + PgJdbc.qualified(t))) {
                    rs.next();
                    out.add(new TableSummary(t.schema(), t.name(), rs.getLong(1), true));
                }
            }
        }
        return out;
    }

    /** Ends the exporting transaction; stops a count still running. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                if (task.isDone()) {
                    connection.close();
                } else {
                    // close() would wait for the running COUNT; abort drops the socket at once
                    connection.abort(Runnable::run);
                }
            } catch (SQLException e) {
                // the transaction was read-only; nothing is lost by a failed close
            }
        }
    }
}
