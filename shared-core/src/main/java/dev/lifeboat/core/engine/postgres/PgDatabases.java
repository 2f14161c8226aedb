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
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link Databases} for PostgreSQL, over the engine's maintenance connection. The swap relies on
 * {@code ALTER DATABASE ... RENAME} being transactional: both renames commit together or not at all.
 */
final class PgDatabases implements Databases {
    /** First key of the advisory lock that keeps two restores out of one database: "LBOT". */
    private static final int LOCK_CLASS = 0x4C424F54;

    /** Settings whose value is a list of (possibly quoted) items, set item by item as pg_dump does. */
    private static final Set<String> LIST_SETTINGS =
            Set.of("search_path", "temp_tablespaces", "session_preload_libraries", "local_preload_libraries");

    private final MaintenanceConnection maintenance;

    PgDatabases(MaintenanceConnection maintenance) {
        this.maintenance = maintenance;
    }

    @Override
    public Optional<DatabaseProfile> profile(ConnectionSpec db) {
        Connection c = maintenance.to(db);
        try {
            int major = PgJdbc.majorOf(serverVersionNum(c));
            String locale = major >= 17 ? "d.datlocale" : major >= 15 ? "d.daticulocale" : "NULL";
            String provider = major >= 15 ? "d.datlocprovider::text" : "'c'";
            long oid;
            DatabaseProfile base;
            try (PreparedStatement ps = c.prepareStatement("SELECT d.oid, pg_catalog.pg_get_userbyid(d.datdba),"
                    + " pg_catalog.pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, t.spcname,"
                    + " CASE WHEN pg_catalog.has_database_privilege(d.oid, 'CONNECT')"
                    + " THEN pg_catalog.pg_database_size(d.oid) ELSE -1 END,"
                    + " d.datconnlimit, d.datallowconn, pg_catalog.shobj_description(d.oid, 'pg_database'),"
                    + " " + provider + ", " + locale
                    + " FROM pg_catalog.pg_database d"
                    + " JOIN pg_catalog.pg_tablespace t ON t.oid = d.dattablespace WHERE d.datname = ?")) {
                ps.setString(1, db.dbname());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    oid = rs.getLong(1);
                    base = new DatabaseProfile(
                            db.dbname(),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getLong(7),
                            rs.getInt(8),
                            rs.getBoolean(9),
                            rs.getString(10),
                            rs.getString(11),
                            rs.getString(12),
                            List.of(),
                            null);
                }
            }
            return Optional.of(new DatabaseProfile(
                    base.name(),
                    base.owner(),
                    base.encoding(),
                    base.collate(),
                    base.ctype(),
                    base.tablespace(),
                    base.sizeBytes(),
                    base.connectionLimit(),
                    base.allowConnections(),
                    base.comment(),
                    base.localeProvider(),
                    base.locale(),
                    settings(c, oid),
                    grants(c, oid)));
        } catch (SQLException e) {
            throw translate(e, db, "read the properties of");
        }
    }

    private static List<Setting> settings(Connection c, long oid) throws SQLException {
        List<Setting> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.rolname, s.setconfig"
                + " FROM pg_catalog.pg_db_role_setting s LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole"
                + " WHERE s.setdatabase = ? ORDER BY r.rolname NULLS FIRST")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String role = rs.getString(1);
                    Array config = rs.getArray(2);
                    for (String item : (String[]) config.getArray()) {
                        int eq = item.indexOf('=');
                        out.add(new Setting(role, item.substring(0, eq), item.substring(eq + 1)));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** The grants on the database, or null when it has the default privileges (no ACL). */
    private static List<Grant> grants(Connection c, long oid) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT datacl IS NULL FROM pg_catalog.pg_database WHERE oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBoolean(1)) {
                    return null;
                }
            }
        }
        List<Grant> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN a.grantee = 0 THEN NULL"
                + " ELSE pg_catalog.pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable"
                + " FROM pg_catalog.pg_database d, pg_catalog.aclexplode(d.datacl) a WHERE d.oid = ?"
                + " ORDER BY 1 NULLS FIRST, 2")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Grant(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<Session> sessions(ConnectionSpec db) {
        try {
            return sessions(maintenance.to(db), db.dbname());
        } catch (SQLException e) {
            throw translate(e, db, "list the sessions of");
        }
    }

    private static List<Session> sessions(Connection c, String dbname) throws SQLException {
        List<Session> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pid, usename, application_name, host(client_addr), backend_start, state"
                        + " FROM pg_catalog.pg_stat_activity WHERE datname = ? AND pid <> pg_catalog.pg_backend_pid()"
                        + " AND backend_type = 'client backend' ORDER BY backend_start, pid")) {
            ps.setString(1, dbname);
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
        StringBuilder sql = new StringBuilder("CREATE DATABASE ")
                .append(PgJdbc.quote(db.dbname()))
                .append(" TEMPLATE template0 OWNER ")
                .append(PgJdbc.quote(like.owner()))
                .append(" ENCODING ")
                .append(literal(like.encoding()))
                .append(" LC_COLLATE ")
                .append(literal(like.collate()))
                .append(" LC_CTYPE ")
                .append(literal(like.ctype()))
                .append(" TABLESPACE ")
                .append(PgJdbc.quote(like.tablespace()));
        if ("i".equals(like.localeProvider()) && like.locale() != null) {
            sql.append(" LOCALE_PROVIDER icu ICU_LOCALE ").append(literal(like.locale()));
        } else if ("b".equals(like.localeProvider()) && like.locale() != null) {
            sql.append(" LOCALE_PROVIDER builtin BUILTIN_LOCALE ").append(literal(like.locale()));
        }
        try (Statement st = maintenance.to(db).createStatement()) {
            st.execute(sql.toString());
        } catch (SQLException e) {
            throw translate(e, db, "create the database");
        }
    }

    @Override
    public void carryOver(DatabaseProfile from, ConnectionSpec db) {
        String name = PgJdbc.quote(db.dbname());
        List<String> statements = new ArrayList<>();
        for (Setting s : from.settings()) {
            String target = s.role() == null
                    ? "ALTER DATABASE " + name
                    : "ALTER ROLE " + PgJdbc.quote(s.role()) + " IN DATABASE " + name;
            statements.add(target + " SET " + settingName(s.name()) + " TO " + settingValue(s));
        }
        if (from.grants() != null) {
            // an explicit ACL: start from none, as the old database's list says exactly who may do what
            statements.add("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC, " + PgJdbc.quote(from.owner()));
            for (Grant g : from.grants()) {
                statements.add("GRANT " + g.privilege() + " ON DATABASE " + name + " TO "
                        + (g.grantee() == null ? "PUBLIC" : PgJdbc.quote(g.grantee()))
                        + (g.grantable() ? " WITH GRANT OPTION" : ""));
            }
        }
        if (from.comment() != null) {
            statements.add("COMMENT ON DATABASE " + name + " IS " + literal(from.comment()));
        }
        if (from.connectionLimit() != -1) {
            statements.add("ALTER DATABASE " + name + " CONNECTION LIMIT " + from.connectionLimit());
        }
        if (!from.allowConnections()) {
            statements.add("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        }
        Connection c = maintenance.to(db);
        String current = null;
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
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
    public Optional<AutoCloseable> tryLock(ConnectionSpec server, String name) {
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

    private static int serverVersionNum(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
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

    /** A setting's name for SET: each dotted part quoted (custom settings are "ext.name"). */
    private static String settingName(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("\\.", -1)) {
            parts.add(PgJdbc.quote(p));
        }
        return String.join(".", parts);
    }

    /** A setting's value for SET ... TO: a literal, or for a list setting one literal per item. */
    private static String settingValue(Setting s) {
        if (!LIST_SETTINGS.contains(s.name())) {
            return literal(s.value());
        }
        List<String> items = new ArrayList<>();
        for (String item : splitList(s.value())) {
            items.add(literal(item));
        }
        return items.isEmpty() ? "''" : String.join(", ", items);
    }

    /** Splits a list setting's stored value ({@code "$user", public}) into its items, unquoted. */
    static List<String> splitList(String value) {
        List<String> items = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < value.length() && value.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
                any = true;
            } else if (ch == ',') {
                items.add(any ? cur.toString() : cur.toString().trim());
                cur.setLength(0);
                any = false;
            } else if (!Character.isWhitespace(ch) || (cur.length() > 0 && !any)) {
                cur.append(ch);
            }
        }
        String last = any ? cur.toString() : cur.toString().trim();
        if (!last.isEmpty() || !items.isEmpty()) {
            items.add(last);
        }
        return items;
    }

    /** An SQL string literal, safe whatever standard_conforming_strings says. */
    static String literal(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
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
