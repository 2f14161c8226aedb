package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One operation's connection to a server's maintenance database (for inspect, create, drop): a
 * restore into a new database connects once before pg_restore instead of once per question.
 */
final class MaintenanceConnection implements AutoCloseable {
    private final PgJdbc jdbc;
    /** The open connection and whom it serves (server, login); null when none. */
    private Connection connection;

    private ConnectionSpec servedFor;

    MaintenanceConnection(PgJdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The open connection to {@code target}'s server as its user, to a connection database (postgres,
     * or template1 when the target is postgres or postgres is missing); opened on first use, checked
     * before reuse (it may have sat idle through a long download) and kept until {@link #close}.
     */
    synchronized Connection to(ConnectionSpec target) {
        if (connection != null) {
            boolean sameLogin = servedFor.host().equals(target.host())
                    && servedFor.port() == target.port()
                    && servedFor.user().equals(target.user())
                    && java.util.Objects.equals(servedFor.sslmode(), target.sslmode())
                    && !servedFor.dbname().equals(target.dbname());
            boolean alive;
            try {
                alive = sameLogin && connection.isValid(5);
            } catch (SQLException e) {
                alive = false;
            }
            if (alive) {
                return connection;
            }
            close();
        }
        Opened opened = open(jdbc, target);
        connection = opened.connection();
        servedFor = target.withDatabase(opened.dbname());
        return opened.connection();
    }

    /** A new connection of its own to {@code target}'s maintenance database; the caller closes it. */
    Connection separate(ConnectionSpec target) {
        return open(jdbc, target).connection();
    }

    private record Opened(Connection connection, String dbname) {}

    private static Opened open(PgJdbc jdbc, ConnectionSpec target) {
        String first = target.dbname().equals("postgres") ? "template1" : "postgres";
        try {
            return new Opened(jdbc.connect(target, first), first);
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            String second = first.equals("postgres") ? "template1" : "postgres";
            return new Opened(jdbc.connect(target, second), second);
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing an idle connection; nothing to report
            }
            connection = null;
            servedFor = null;
        }
    }
}
