package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Databases} for PostgreSQL, over the engine's maintenance connection. The swap relies on
 * {@code ALTER DATABASE ... RENAME} being transactional: both renames commit together or not at all.
 */
final class PgDatabases implements Databases {
    /** First key of the advisory lock that keeps two restores out of one database: "LBOT". */
    private static final int LOCK_CLASS = 0x4C424F54;

    private final MaintenanceConnection maintenance;

    PgDatabases(MaintenanceConnection maintenance) {
        this.maintenance = maintenance;
    }

    @Override
    public Optional<DatabaseProfile> profile(ConnectionSpec db) {
        try {
            return PgDatabaseIdentity.read(maintenance.to(db), db.dbname());
        } catch (SQLException e) {
            throw translate(e, db, "read the properties of");
        }
    }

    @Override
    public List<Session> sessions(ConnectionSpec db) {
        try {
            Connection c = maintenance.to(db);
            List<Session> first = sessions(c, db.dbname());
            if (first.isEmpty()) {
                return first;
            }
            // A client that has just disconnected (pg_dump, or this process's own connection after a
            // backup) keeps its row in pg_stat_activity until its server process has exited, a few ms
            // later: a plan would name it as a session the swap will end. Only a session seen twice,
            // SETTLE apart, is reported.
            Thread.sleep(SETTLE.toMillis());
            List<Session> second = sessions(c, db.dbname());
            return first.stream()
                    // the same pid and start: the same backend, not a new one that got a recycled pid
                    .filter(s -> second.stream()
                            .anyMatch(t -> t.pid() == s.pid() && java.util.Objects.equals(t.since(), s.since())))
                    .toList();
        } catch (SQLException e) {
            throw translate(e, db, "list the sessions of");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LifeboatException(
                    ErrorCode.CANCELLED,
                    "cancelled while listing the sessions of '" + db.dbname() + "'",
                    "nothing was changed; run it again");
        }
    }

    /** How long a session must stay connected to be reported as one: longer than a backend's exit. */
    static final Duration SETTLE = Duration.ofMillis(100);

    private static List<Session> sessions(Connection c, String dbname) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(SESSIONS + " WHERE datname = ? AND pid <> pg_catalog.pg_backend_pid()"
                        + " AND backend_type = 'client backend' ORDER BY backend_start, pid")) {
            ps.setString(1, dbname);
            return sessions(ps);
        }
    }

    /** The start of a query for sessions that {@link #sessions(PreparedStatement)} reads. */
    static final String SESSIONS = "SELECT pid, usename, application_name, host(client_addr), backend_start, state"
            + " FROM pg_catalog.pg_stat_activity";

    /** The sessions a query that starts with {@link #SESSIONS} finds. */
    static List<Session> sessions(PreparedStatement ps) throws SQLException {
        List<Session> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                java.sql.Timestamp since = rs.getTimestamp(5);
                out.add(new Session(
                        rs.getInt(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        since == null ? null : since.toInstant(),
                        rs.getString(6)));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public Rights rights(ConnectionSpec db) {
        Connection c = maintenance.to(db);
        try (PreparedStatement ps = c.prepareStatement("SELECT r.rolcreatedb OR r.rolsuper,"
                + " r.rolsuper OR COALESCE((SELECT pg_catalog.pg_has_role(current_user, d.datdba, 'USAGE')"
                + " FROM pg_catalog.pg_database d WHERE d.datname = ?), false),"
                + " r.rolsuper OR pg_catalog.pg_has_role(current_user, 'pg_signal_backend', 'USAGE')"
                + " FROM pg_catalog.pg_roles r WHERE r.rolname = current_user")) {
            ps.setString(1, db.dbname());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Rights(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3));
            }
        } catch (SQLException e) {
            throw translate(e, db, "read the rights of " + db.user() + " on");
        }
    }

    @Override
    public List<String> namesStartingWith(ConnectionSpec server, String prefix) {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = maintenance
                .to(server)
                .prepareStatement("SELECT datname FROM pg_catalog.pg_database"
                        + " WHERE left(datname, length(?)) = ? ORDER BY datname")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw translate(e, server, "list the databases next to");
        }
        return List.copyOf(out);
    }

    @Override
    public void createLike(ConnectionSpec db, DatabaseProfile like) {
        try (Statement st = maintenance.to(db).createStatement()) {
            st.execute(PgDatabaseIdentity.createLike(db.dbname(), like));
        } catch (SQLException e) {
            throw translate(e, db, "create the database");
        }
    }

    @Override
    public void carryOver(DatabaseProfile from, ConnectionSpec db) {
        Connection c = maintenance.to(db);
        String current = null;
        try (Statement st = c.createStatement()) {
            for (String sql : PgDatabaseIdentity.carryOver(from, db.dbname())) {
                current = sql;
                st.execute(sql);
            }
        } catch (SQLException e) {
            LifeboatException t = translate(e, db, "carry the old database's settings over to");
            throw new LifeboatException(t.code(), t.getMessage() + " (while running: " + current + ")", t.hint(), e);
        }
    }

    @Override
    public List<Session> swap(ConnectionSpec target, String incoming, String keptAs, Duration grace) {
        Connection c = maintenance.to(target);
        String t = PgJdbc.quote(target.dbname());
        boolean allowed;
        try {
            allowed = allowsConnections(c, target.dbname());
            // no new sessions from here on: the ones present are ended and cannot come back
            exec(c, "ALTER DATABASE " + t + " ALLOW_CONNECTIONS false");
        } catch (SQLException e) {
            throw translate(e, target, "stop new connections to");
        }
        try {
            List<Session> ended = endSessions(c, target.dbname(), grace, target);
            c.setAutoCommit(false);
            try {
                exec(c, "ALTER DATABASE " + t + " RENAME TO " + PgJdbc.quote(keptAs));
                exec(c, "ALTER DATABASE " + PgJdbc.quote(incoming) + " RENAME TO " + t);
                exec(c, "ALTER DATABASE " + PgJdbc.quote(keptAs) + " ALLOW_CONNECTIONS true");
                c.commit();
            } catch (SQLException e) {
                rollback(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return ended;
        } catch (SQLException | RuntimeException e) {
            // the names are as they were: let the target's clients back in
            try {
                if (allowed) {
                    exec(c, "ALTER DATABASE " + t + " ALLOW_CONNECTIONS true");
                }
            } catch (SQLException reopen) {
                e.addSuppressed(reopen);
            }
            if (e instanceof SQLException se) {
                throw translate(se, target, "swap the restored copy into the place of");
            }
            throw (RuntimeException) e;
        }
    }

    /** Ends {@code dbname}'s sessions and waits for them to be gone; BUSY naming those still there after {@code grace}. */
    private static List<Session> endSessions(Connection c, String dbname, Duration grace, ConnectionSpec target)
            throws SQLException {
        List<Session> present = sessions(c, dbname);
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.pg_terminate_backend(pid)"
                + " FROM pg_catalog.pg_stat_activity WHERE datname = ? AND pid <> pg_catalog.pg_backend_pid()")) {
            ps.setString(1, dbname);
            ps.executeQuery().close();
        }
        Instant deadline = Instant.now().plus(grace);
        List<Session> left = sessions(c, dbname);
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = sessions(c, dbname);
        }
        if (!left.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.BUSY,
                    left.size() + " session(s) on '" + dbname + "' on " + target.host() + ":" + target.port()
                            + " could not be ended: "
                            + String.join(
                                    "; ", left.stream().map(Session::describe).toList()),
                    "end them (pg_terminate_backend needs the same role, pg_signal_backend or a superuser) and"
                            + " run the restore again; the target was left as it was");
        }
        return present;
    }

    @Override
    public Optional<Lock> tryLock(ConnectionSpec server, String name) {
        Connection c = maintenance.separate(server);
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, name.hashCode());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    close(c);
                    return Optional.empty();
                }
            }
        } catch (SQLException e) {
            close(c);
            throw translate(e, server, "take the lock '" + name + "' on the server of");
        }
        // the session-level lock goes with the connection, also when the process dies; released
        // explicitly first, as the server ends a closed connection's backend (and frees its locks) a
        // moment after close() returns, and the next taker would find it still held
        return Optional.of(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, name.hashCode());
                ps.executeQuery().close();
            } catch (SQLException e) {
                // the connection is gone, and the lock with it
            } finally {
                close(c);
            }
        });
    }

    @Override
    public void allowConnections(ConnectionSpec db, boolean allow) {
        try (Statement st = maintenance.to(db).createStatement()) {
            st.execute("ALTER DATABASE " + PgJdbc.quote(db.dbname()) + " ALLOW_CONNECTIONS " + allow);
        } catch (SQLException e) {
            throw translate(e, db, (allow ? "allow" : "stop") + " connections to");
        }
    }

    private static boolean allowsConnections(Connection c, String dbname) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT datallowconn FROM pg_catalog.pg_database WHERE datname = ?")) {
            ps.setString(1, dbname);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getBoolean(1);
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: the server rolled the transaction back itself
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to report on close
        }
    }

    private static LifeboatException translate(SQLException e, ConnectionSpec db, String action) {
        if ("42501".equals(e.getSQLState())) {
            return new LifeboatException(
                    ErrorCode.PERMISSION_DENIED,
                    "cannot " + action + " '" + db.dbname() + "' on " + db.host() + ":" + db.port() + " as " + db.user()
                            + ": " + e.getMessage(),
                    "grant the login the right named above, or restore in place with "
                            + dev.lifeboat.core.base.Remedy.MODE_CLEAN,
                    e);
        }
        return PgJdbc.translate(e, db, action);
    }
}
