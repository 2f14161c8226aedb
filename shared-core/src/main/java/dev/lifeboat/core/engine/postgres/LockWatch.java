package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up on a restore statement that waits too long for a lock another session holds: pg_restore's
 * own {@code SET lock_timeout = 0} (every archive starts with it) overrides a timeout set from
 * outside, so a watcher on a connection of its own looks for the restore's backend (found by its
 * application_name) waiting on a lock, and after {@code timeout} notes who blocks it and cancels the
 * statement. pg_restore then fails, and a single-transaction restore rolls back.
 */
final class LockWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LockWatch.class);
    private static final long POLL_MILLIS = 200;

    private final Connection connection;
    private final String applicationName;
    private final Duration timeout;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile List<Databases.Session> blockers;

    private LockWatch(Connection connection, String applicationName, Duration timeout) {
        this.connection = connection;
        this.applicationName = applicationName;
        this.timeout = timeout;
        this.thread = new Thread(this::watch, "lifeboat-lock-watch");
        thread.setDaemon(true);
    }

    /**
     * Starts watching backends named {@code applicationName}; null when no connection could be made
     * (the restore then waits as long as it takes, as before).
     */
    static LockWatch start(
            MaintenanceConnection maintenance, ConnectionSpec target, String applicationName, Duration timeout) {
        Connection c;
        try {
            c = maintenance.separate(target);
        } catch (RuntimeException e) {
            LOG.info("cannot watch the restore's lock waits ({}); it waits as long as it takes", e.getMessage());
            return null;
        }
        LockWatch w = new LockWatch(c, applicationName, timeout);
        w.thread.start();
        return w;
    }

    /** The sessions that held the lock the restore gave up on, or null when it did not give up. */
    List<Databases.Session> blockers() {
        return blockers;
    }

    /** BUSY: the restore gave up waiting for a lock, naming the sessions that held it. */
    LifeboatException gaveUp(ConnectionSpec target, String stderr) {
        String who = blockers == null || blockers.isEmpty()
                ? "a session that ended meanwhile"
                : String.join(
                        "; ", blockers.stream().map(Databases.Session::describe).toList());
        LOG.debug("pg_restore after its lock wait was cancelled: {}", stderr);
        String waited = timeout.toMillis() % 1000 == 0 ? timeout.getSeconds() + "s" : timeout.toMillis() + "ms";
        return new LifeboatException(
                ErrorCode.BUSY,
                "pg_restore waited " + waited + " for a lock on '" + target.dbname() + "' held by " + who
                        + ", and gave up",
                "end those sessions or their transactions (or wait until they finish) and run it again, or raise"
                        + " restore_lock_timeout");
    }

    private void watch() {
        Map<Integer, Long> waitingSince = new HashMap<>();
        try {
            while (!stopped) {
                Map<Integer, List<Integer>> waiting = waiting();
                long now = System.nanoTime();
                waitingSince.keySet().retainAll(waiting.keySet());
                for (Map.Entry<Integer, List<Integer>> w : waiting.entrySet()) {
                    long since = waitingSince.computeIfAbsent(w.getKey(), k -> now);
                    if (now - since >= timeout.toNanos()) {
                        blockers = sessions(w.getValue());
                        cancel(w.getKey());
                        return;
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            if (!stopped) {
                LOG.info("stopped watching the restore's lock waits: {}", e.getMessage());
            }
        }
    }

    /** Backends of the restore waiting for a lock, each with the pids that block it. */
    private Map<Integer, List<Integer>> waiting() throws SQLException {
        Map<Integer, List<Integer>> out = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pid, pg_catalog.pg_blocking_pids(pid) FROM pg_catalog.pg_stat_activity"
                        + " WHERE application_name = ? AND wait_event_type = 'Lock'")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Integer> pids = new ArrayList<>();
                    Array a = rs.getArray(2);
                    if (a != null) {
                        for (Object o : (Object[]) a.getArray()) {
                            pids.add(((Number) o).intValue());
                        }
                    }
                    out.put(rs.getInt(1), pids);
                }
            }
        }
        return out;
    }

    private List<Databases.Session> sessions(List<Integer> pids) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(PgDatabases.SESSIONS + " WHERE pid = ANY (?) ORDER BY pid")) {
            ps.setArray(1, connection.createArrayOf("int4", pids.toArray()));
            return PgDatabases.sessions(ps);
        }
    }

    private void cancel(int pid) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.pg_cancel_backend(?)")) {
            ps.setInt(1, pid);
            ps.executeQuery().close();
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing the watcher's own connection; nothing to report
        }
    }
}
