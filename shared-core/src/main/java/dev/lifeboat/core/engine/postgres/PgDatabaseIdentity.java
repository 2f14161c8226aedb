package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.engine.Databases.DatabaseProfile;
import dev.lifeboat.core.engine.Databases.Grant;
import dev.lifeboat.core.engine.Databases.Setting;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a PostgreSQL database is apart from its contents, read from the catalogs, and the SQL that
 * gives another database the same identity: the {@code CREATE DATABASE} options (owner, encoding,
 * locale, tablespace) and what a dump does not carry (database-level settings, the ACL, comment,
 * connection limit, whether it takes connections).
 */
final class PgDatabaseIdentity {
    /** Settings whose value is a list of (possibly quoted) items, set item by item as pg_dump does. */
    private static final Set<String> LIST_SETTINGS =
            Set.of("search_path", "temp_tablespaces", "session_preload_libraries", "local_preload_libraries");

    private PgDatabaseIdentity() {}

    /** {@code dbname}'s identity as the server behind {@code c} has it, or empty when it does not exist. */
    static Optional<DatabaseProfile> read(Connection c, String dbname) throws SQLException {
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
            ps.setString(1, dbname);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                oid = rs.getLong(1);
                base = new DatabaseProfile(
                        dbname,
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
        return Optional.of(base.with(settings(c, oid), grants(c, oid)));
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

    /** {@code CREATE DATABASE dbname} from template0 with {@code like}'s owner, encoding, locale and tablespace. */
    static String createLike(String dbname, DatabaseProfile like) {
        StringBuilder sql = new StringBuilder("CREATE DATABASE ")
                .append(PgJdbc.quote(dbname))
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
        return sql.toString();
    }

    /** The statements that give {@code dbname} what {@code from} has outside its dump. */
    static List<String> carryOver(DatabaseProfile from, String dbname) {
        String name = PgJdbc.quote(dbname);
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
        return statements;
    }

    private static int serverVersionNum(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
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
}
