package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.engine.ChildProcess;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.RoleCheck;
import dev.lifeboat.core.engine.RolesDump;
import dev.lifeboat.core.engine.ServerInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The roles one database needs, dumped with {@code pg_dumpall --roles-only --no-role-passwords} (no
 * superuser needed, no password hash read or stored) and cut down to that database's: every role
 * that owns an object in it or holds a privilege on one (pg_shdepend, plus the owners of catalog
 * objects, which it does not record), its owner, and, transitively, the roles those are members of.
 */
final class PgRoles {
    /** The roles {@code current_database()} refers to, and the roles they belong to. */
    private static final String NEEDED = "WITH RECURSIVE needed(oid) AS ("
            + " SELECT refobjid FROM pg_catalog.pg_shdepend"
            + "  WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())"
            + "  AND refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass"
            + " UNION SELECT datdba FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()"
            + " UNION SELECT nspowner FROM pg_catalog.pg_namespace"
            + " UNION SELECT relowner FROM pg_catalog.pg_class"
            + " UNION SELECT proowner FROM pg_catalog.pg_proc"
            + " UNION SELECT typowner FROM pg_catalog.pg_type"
            + " UNION SELECT m.roleid FROM pg_catalog.pg_auth_members m JOIN needed n ON m.member = n.oid)"
            + " SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid IN (SELECT oid FROM needed)";

    private final PgAccess pg;

    PgRoles(PgAccess pg) {
        this.pg = pg;
    }

    /** Which of {@code names} are missing on {@code target}'s server, and which the login cannot give objects to. */
    RoleCheck check(ConnectionSpec target, Collection<String> names) {
        List<String> missing = new ArrayList<>();
        List<String> notAssumable = new ArrayList<>();
        boolean superuser;
        Connection c = pg.maintenance().to(target);
        try (PreparedStatement ps = c.prepareStatement("SELECT n.name, r.oid IS NOT NULL,"
                + " r.oid IS NOT NULL AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')"
                + " FROM pg_catalog.unnest(?::text[]) AS n(name)"
                + " LEFT JOIN pg_catalog.pg_roles r ON r.rolname = n.name ORDER BY 1")) {
            ps.setArray(1, c.createArrayOf("text", new TreeSet<>(names).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(2)) {
                        missing.add(rs.getString(1));
                    } else if (!rs.getBoolean(3)) {
                        notAssumable.add(rs.getString(1));
                    }
                }
            }
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
                superuser = rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw PgJdbc.translate(e, target, "look up the roles on the server of");
        }
        return new RoleCheck(missing, notAssumable, superuser);
    }

    /**
     * Creates {@code names} as {@code script} (a kept roles.sql) describes them, with their memberships,
     * in one transaction: all of them or none.
     */
    List<String> create(ConnectionSpec target, String script, Collection<String> names) {
        // with the roles they are members of, as kept: a missing group role comes too
        Set<String> wanted = RolesScript.withGroups(script, names);
        wanted.retainAll(RolesScript.created(script));
        Set<String> create = new TreeSet<>(check(target, wanted).missing());
        if (create.isEmpty()) {
            return List.of();
        }
        String statements = RolesScript.creating(script, create);
        Connection c = pg.maintenance().to(target);
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(statements);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw PgJdbc.translate(e, target, "create the roles " + String.join(", ", create) + " on the server of");
        }
        return List.copyOf(create);
    }

    /** Drops {@code names} (roles this restore created and that own nothing any more). */
    void drop(ConnectionSpec target, List<String> names) {
        Connection c = pg.maintenance().to(target);
        try (Statement st = c.createStatement()) {
            for (String name : names) {
                st.execute("DROP ROLE IF EXISTS " + PgJdbc.quote(name));
            }
        } catch (SQLException e) {
            throw PgJdbc.translate(e, target, "drop the roles " + String.join(", ", names) + " on the server of");
        }
    }

    RolesDump dump(ConnectionSpec db, ServerInfo server) {
        TreeSet<String> needed = new TreeSet<>();
        try (Connection c = pg.jdbc().connect(db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(NEEDED)) {
            while (rs.next()) {
                needed.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw PgJdbc.translate(e, db, "list the roles needed by");
        }
        PgTools.PgTool tool = pg.tools()
                .pick(
                        "pg_dumpall",
                        server.majorVersion(),
                        db.host() + ":" + db.port() + " (version " + server.version() + ")");
        List<String> command = new ArrayList<>(List.of(
                tool.path().toString(),
                "--roles-only",
                "--no-role-passwords",
                "--no-password",
                "--dbname=dbname=" + PgJdbc.conninfoValue(db.dbname())));
        PgClientEnvironment.Prepared env = PgClientEnvironment.prepare(db, pg.environment(), pg.passfiles());
        String all;
        try (ChildProcess child = ChildProcess.start("pg_dumpall", command, env.env(), false, env.cleanup())) {
            all = PgErrors.output(child, "pg_dumpall --roles-only", db);
        }
        String script = RolesScript.keep(all, needed);
        return new RolesDump(script, List.copyOf(needed));
    }
}
