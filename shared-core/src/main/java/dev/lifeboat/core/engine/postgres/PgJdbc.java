package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * JDBC access for the engine's own questions (server version, tables, row counts, create/drop). The
 * password travels as a connection property, never in the URL; SQL errors become
 * {@link LifeboatException}s by SQLSTATE.
 */
final class PgJdbc {
    /** Regular tables (partitions included, partitioned parents not: their rows live in the partitions). */
    static final String USER_TABLES_SQL = "SELECT n.nspname, c.relname, c.reltuples::bigint"
            + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
            + " ORDER BY 1, 2";

    /**
     * Each user table's size as the catalog last measured it (pages of the table and its TOAST, at
     * least one): an estimate that takes no lock, unlike {@code pg_table_size}, which would wait behind
     * a table's exclusive lock before pg_dump (whose wait can be cancelled) even starts.
     */
    static final String TABLE_SIZES_SQL = "SELECT n.nspname, c.relname,"
            + " (GREATEST(c.relpages, 1) + COALESCE(t.relpages, 0))::bigint"
            + " * current_setting('block_size')::bigint"
            + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid"
            + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    private final Map<String, String> environment;

    PgJdbc(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Connects to {@code spec}'s database. */
    Connection connect(ConnectionSpec spec) {
        return connect(spec, spec.dbname());
    }

    /** Connects to {@code dbname} on {@code spec}'s server, as {@code spec}'s user. */
    Connection connect(ConnectionSpec spec, String dbname) {
        if (spec.host() == null || spec.host().isBlank() || spec.host().startsWith("/")) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "host '" + spec.host() + "' of " + spec.describe()
                            + " is not a TCP host name; Lifeboat connects over TCP (Unix sockets are not supported)",
                    "set host to a name or address the server listens on, e.g. localhost");
        }
        requireName(dbname, "database name");
        String host = spec.host().contains(":") && !spec.host().startsWith("[") ? "[" + spec.host() + "]" : spec.host();
        String url = "jdbc:postgresql://" + host + ":" + spec.port() + "/"
                + URLEncoder.encode(dbname, StandardCharsets.UTF_8).replace("+", "%20");
        Properties props = new Properties();
        props.setProperty("user", spec.user());
        String password = password(spec, dbname);
        if (password != null) {
            props.setProperty("password", password);
        }
        if (spec.sslmode() != null) {
            props.setProperty("sslmode", spec.sslmode());
        }
        if (environment.containsKey("PGSSLROOTCERT")) {
            props.setProperty("sslrootcert", environment.get("PGSSLROOTCERT"));
        }
        props.setProperty("connectTimeout", "10");
        props.setProperty("loginTimeout", "15");
        props.setProperty("ApplicationName", "lifeboat");
        props.setProperty("tcpKeepAlive", "true");
        try {
            Connection c = DRIVER.connect(url, props);
            if (c == null) {
                throw new LifeboatException(ErrorCode.INTERNAL, "the JDBC driver rejected its URL", null);
            }
            return c;
        } catch (SQLException e) {
            throw translate(e, spec.withDatabase(dbname), "connect to");
        }
    }

    /** The server behind {@code c}, described with {@code spec}'s coordinates. */
    static ServerInfo serverInfo(Connection c, ConnectionSpec spec) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT current_setting('server_version_num')::int, current_setting('server_version')")) {
            rs.next();
            int num = rs.getInt(1);
            String version = rs.getString(2).split("\\s+")[0];
            return new ServerInfo(spec.host(), spec.port(), spec.dbname(), spec.user(), version, majorOf(num));
        }
    }

    /** Whether {@code dbname} exists on the server behind {@code c}. */
    static boolean databaseExists(Connection c, String dbname) throws SQLException {
        try (java.sql.PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?")) {
            ps.setString(1, dbname);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Whether {@code e} says the server refused this login for that database (no such database, a
     * pg_hba rule, a wrong password, CONNECT not granted), as opposed to not being reachable at all.
     */
    static boolean loginRefused(LifeboatException e) {
        if (e.code() == ErrorCode.NOT_FOUND) {
            return true;
        }
        String state = e.getCause() instanceof SQLException se && se.getSQLState() != null ? se.getSQLState() : "";
        return state.startsWith("28") || state.equals("42501");
    }

    static int majorOf(int serverVersionNum) {
        return serverVersionNum / 10000; // 150004 -> 15, 90624 -> 9
    }

    /** The user tables with the planner's row estimates (-1 when never analyzed). */
    static List<TableSummary> tables(Connection c) throws SQLException {
        List<TableSummary> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(USER_TABLES_SQL)) {
            while (rs.next()) {
                long estimate = rs.getLong(3);
                out.add(new TableSummary(rs.getString(1), rs.getString(2), estimate < 0 ? -1 : estimate, false));
            }
        }
        return out;
    }

    /** The estimated size of each user table, by "schema.name" ({@link #TABLE_SIZES_SQL}). */
    static Map<String, Long> tableSizes(Connection c) throws SQLException {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(TABLE_SIZES_SQL)) {
            while (rs.next()) {
                out.put(rs.getString(1) + "." + rs.getString(2), Math.max(0, rs.getLong(3)));
            }
        }
        return out;
    }

    /** A quoted SQL identifier. */
    static String quote(String identifier) {
        requireName(identifier, "identifier");
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String qualified(TableSummary t) {
        return quote(t.schema()) + "." + quote(t.name());
    }

    /** A libpq conninfo value in single quotes, for {@code --dbname=dbname='...'}. */
    static String conninfoValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static void requireName(String name, String what) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid " + what + ": " + (name == null ? "none given" : "'" + name.replace("\0", "\\0") + "'"),
                    "give a non-empty name without NUL characters");
        }
    }

    /** Turns an SQL failure while doing {@code action} (e.g. "connect to") on {@code spec} into a LifeboatException. */
    static LifeboatException translate(SQLException e, ConnectionSpec spec, String action) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what = "cannot " + action + " " + spec.describe() + ": " + e.getMessage();
        if (state.equals("28P01") || state.equals("28000")) {
            return new LifeboatException(
                    ErrorCode.DATABASE_UNREACHABLE,
                    what,
                    "check the password source configured for this database (password_env, password_file or"
                            + " passfile) and the server's pg_hba.conf",
                    e);
        }
        if (state.equals("3D000")) {
            return new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "database \"" + spec.dbname() + "\" does not exist on " + spec.host() + ":" + spec.port(),
                    "check dbname, or create the database first",
                    e);
        }
        // 23505: two CREATE DATABASE of one name racing; the loser trips pg_database's unique index
        if (state.equals("42P04") || (state.equals("23505") && action.equals("create the database"))) {
            return new LifeboatException(
                    ErrorCode.ALREADY_EXISTS,
                    "database \"" + spec.dbname() + "\" already exists on " + spec.host() + ":" + spec.port(),
                    "choose another target database name (" + Remedy.TARGET_DBNAME + "), or restore over it ("
                            + Remedy.MODE_CLEAN + ")",
                    e);
        }
        if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")) {
            return new LifeboatException(
                    ErrorCode.DATABASE_UNREACHABLE,
                    what,
                    "check host and port, that the server is running and accepts TCP connections"
                            + " (listen_addresses, pg_hba.conf, firewall)",
                    e);
        }
        if (state.equals("57014")) {
            return new LifeboatException(ErrorCode.CANCELLED, what, null, e);
        }
        return new LifeboatException(
                ErrorCode.TOOL_FAILED, what + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")"), null, e);
    }

    /** The password for JDBC: the spec's, else a libpq passfile's (the spec's, PGPASSFILE, ~/.pgpass). */
    private String password(ConnectionSpec spec, String dbname) {
        if (spec.password() != null) {
            return spec.password().reveal();
        }
        Path file = spec.passfile();
        if (file == null && environment.get("PGPASSFILE") != null) {
            file = Path.of(environment.get("PGPASSFILE"));
        }
        if (file == null && environment.get("HOME") != null) {
            file = Path.of(environment.get("HOME"), ".pgpass");
        }
        if (file == null || !Files.isReadable(file)) {
            return null;
        }
        try {
            String found = lookupPassfile(
                    Files.readAllLines(file, StandardCharsets.UTF_8),
                    spec.host(),
                    Integer.toString(spec.port()),
                    dbname,
                    spec.user());
            Redactor.global().register(found);
            return found;
        } catch (IOException e) {
            return null;
        }
    }

    /** libpq's passfile rules: host:port:database:user:password, '*' matches anything, '\' escapes. */
    static String lookupPassfile(List<String> lines, String host, String port, String dbname, String user) {
        String[] wanted = {host, port, dbname, user};
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = splitPassfileLine(line);
            if (fields.size() < 5) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < 4 && match; i++) {
                String f = fields.get(i);
                boolean hostIsLocal = i == 0 && f.equals("localhost") && wanted[0].startsWith("/");
                match = f.equals("*") || f.equals(wanted[i]) || hostIsLocal;
            }
            if (match) {
                return fields.get(4);
            }
        }
        return null;
    }

    private static List<String> splitPassfileLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (ch == ':' && fields.size() < 4) {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        fields.add(cur.toString());
        return fields;
    }
}
