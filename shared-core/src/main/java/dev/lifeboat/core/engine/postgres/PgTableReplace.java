package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ChildProcess;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableDependents;
import dev.lifeboat.core.engine.TableReplacement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A selective restore over an existing database, in one transaction: pg_restore writes the selected
 * entries as a script, and psql runs it between {@link TableSwapSql}'s statements that move the
 * replaced tables aside and put their dependents back. Lifeboat feeds psql's stdin itself and sends
 * COMMIT only after pg_restore has ended cleanly: if pg_restore fails, or Lifeboat dies (psql then
 * reads the end of its input), the transaction never commits and the database is as it was.
 */
final class PgTableReplace {
    private final PgAccess pg;

    PgTableReplace(PgAccess pg) {
        this.pg = pg;
    }

    TableDependents dependents(ConnectionSpec db, List<String> tables) {
        Map<String, String> byQuoted = new LinkedHashMap<>();
        for (String t : tables) {
            int dot = t.indexOf('.');
            byQuoted.put(PgJdbc.quote(t.substring(0, dot)) + "." + PgJdbc.quote(t.substring(dot + 1)), t);
        }
        try (Connection c = pg.jdbc().connect(db)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_catalog.set_config('search_path', '', true)");
            }
            Array names = c.createArrayOf("text", byQuoted.keySet().toArray());
            Map<String, Long> rows = new HashMap<>();
            String existing = "SELECT x, c.reltuples::bigint FROM pg_catalog.unnest(?::text[]) AS x"
                    + " JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(x)";
            try (PreparedStatement ps = c.prepareStatement(existing)) {
                ps.setArray(1, names);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(byQuoted.get(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            String replaced = "SELECT c.oid FROM pg_catalog.unnest(?::text[]) AS x"
                    + " JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(x)";
            List<String> fks = strings(
                    c,
                    "SELECT pg_catalog.format('%s of %s', con.conname, con.conrelid::pg_catalog.regclass)"
                            + " FROM pg_catalog.pg_constraint con WHERE con.contype = 'f' AND con.confrelid IN ("
                            + replaced + ") AND con.conrelid NOT IN (" + replaced + ") ORDER BY 1",
                    names);
            String views = "SELECT DISTINCT v.oid::pg_catalog.regclass::text FROM pg_catalog.pg_depend d"
                    + " JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid JOIN pg_catalog.pg_class v ON v.oid = r.ev_class"
                    + " WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.refobjid IN (" + replaced
                    + ") AND v.oid NOT IN (" + replaced + ") AND v.relkind = ";
            List<String> plain = strings(c, views + "'v' ORDER BY 1", names);
            List<String> materialized = strings(c, views + "'m' ORDER BY 1", names);
            c.rollback();
            return new TableDependents(rows, fks, plain, materialized);
        } catch (SQLException e) {
            throw PgJdbc.translate(e, db, "inspect the tables of");
        }
    }

    /** The first column of {@code sql}'s rows, its parameters all {@code names}. */
    private static List<String> strings(Connection c, String sql, Array names) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int n = (int) sql.chars().filter(ch -> ch == '?').count();
            for (int i = 1; i <= n; i++) {
                ps.setArray(i, names);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    void replace(Path archive, ConnectionSpec target, ServerInfo server, TableReplacement r) {
        String where = target.host() + ":" + target.port() + " (version " + server.version() + ")";
        PgTools.PgTool restoreTool = pg.tools().pick("pg_restore", server.majorVersion(), where);
        // psql from pg_restore's own directory: it reads what that pg_restore writes (\restrict included)
        PgTools.PgTool psql = pg.tools().pick("psql", restoreTool.major(), where);
        Path useList = pg.passfiles().writeUseList(r.only());
        PgClientEnvironment.Prepared env;
        try {
            env = PgClientEnvironment.prepare(target, pg.environment(), pg.passfiles());
        } catch (RuntimeException e) {
            pg.passfiles().delete(useList);
            throw e;
        }
        String appName = appName();
        Map<String, String> psqlEnv = named(env, appName);
        List<String> dump = new java.util.ArrayList<>(List.of(restoreTool.path().toString()));
        dump.addAll(PgRestore.ownerArguments(r.keepOwners(), r.grants()));
        dump.addAll(List.of(
                "--use-list=" + useList, "--file=-", archive.toAbsolutePath().toString()));
        List<String> run = psqlCommand(psql, target);
        Runnable cleanup = () -> {
            try {
                env.cleanup().run();
            } finally {
                pg.passfiles().delete(useList);
            }
        };
        try (ChildProcess reader = ChildProcess.start(
                        "pg_restore", dump, PgClientEnvironment.base(pg.environment()), false, null);
                ChildProcess writer = ChildProcess.start("psql", run, psqlEnv, true, cleanup);
                LockWatch watch = r.lockTimeout() == null
                        ? null
                        : LockWatch.start(pg.maintenance(), target, appName, r.lockTimeout())) {
            boolean fed;
            try (Watchdog cancel = Watchdog.onInterrupt(reader, writer)) {
                fed = feed(reader, writer, r, cancel);
            }
            // once COMMIT is sent the outcome is psql's: a cancel that comes later must not kill it
            // mid-commit and report a restore that happened as cancelled
            Thread.interrupted();
            int code = writer.waitFor();
            if (!fed) {
                LifeboatException e = PgErrors.failed("pg_restore", reader.waitFor(), reader.stderr(), null);
                throw e.followedBy("; nothing was committed, so '" + target.dbname() + "' is as it was");
            }
            requireSuccess(code, writer, watch, target);
        }
    }

    /**
     * Puts back the tables a selective restore kept in {@code fromSchema}, in one transaction through
     * psql: the tables in their place now are moved aside into {@code r.keepSchema()} (so the undo
     * can be undone too), the kept ones are moved back under their names, dependents are put back as
     * after a restore, and {@code fromSchema} is dropped once empty.
     */
    void putBack(ConnectionSpec target, ServerInfo server, String fromSchema, TableReplacement r) {
        String where = target.host() + ":" + target.port() + " (version " + server.version() + ")";
        PgTools.PgTool psql = pg.tools().pick("psql", server.majorVersion(), where);
        PgClientEnvironment.Prepared env = PgClientEnvironment.prepare(target, pg.environment(), pg.passfiles());
        String appName = appName();
        Map<String, String> psqlEnv = named(env, appName);
        String script = TableSwapSql.before(r.tables(), r.keepSchema(), r.keepComment())
                + TableSwapSql.moveBack(fromSchema, r.tables())
                + TableSwapSql.after();
        try (ChildProcess writer = ChildProcess.start("psql", psqlCommand(psql, target), psqlEnv, true, env.cleanup());
                LockWatch watch = r.lockTimeout() == null
                        ? null
                        : LockWatch.start(pg.maintenance(), target, appName, r.lockTimeout())) {
            try (OutputStream to = writer.stdin()) {
                to.write(script.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // psql stopped reading: it failed, and its exit code and stderr say why
            }
            int code = writer.waitFor();
            requireSuccess(code, writer, watch, target);
        }
    }

    /** The schemas of {@code db} whose names start with {@code prefix}, with their comments (null when none). */
    Map<String, String> schemasStartingWith(ConnectionSpec db, String prefix) {
        try (Connection c = pg.jdbc().connect(db);
                PreparedStatement ps = c.prepareStatement("SELECT nspname, pg_catalog.obj_description(oid,"
                        + " 'pg_namespace') FROM pg_catalog.pg_namespace WHERE pg_catalog.starts_with(nspname, ?)"
                        + " ORDER BY nspname")) {
            ps.setString(1, prefix);
            Map<String, String> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PgJdbc.translate(e, db, "list the schemas of");
        }
    }

    void dropSchema(ConnectionSpec db, String schema) {
        try (Connection c = pg.jdbc().connect(db);
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + PgJdbc.quote(schema) + " CASCADE");
        } catch (SQLException e) {
            throw PgJdbc.translate(e, db, "drop the schema " + schema + " of");
        }
    }

    private static List<String> psqlCommand(PgTools.PgTool psql, ConnectionSpec target) {
        return List.of(
                psql.path().toString(),
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--set=ON_ERROR_STOP=1",
                "--output=/dev/null",
                "--dbname=dbname=" + PgJdbc.conninfoValue(target.dbname()));
    }

    /**
     * Streams the statements into psql: the move aside, pg_restore's script, then (only when pg_restore
     * ended cleanly) the put-back and COMMIT. False when pg_restore failed: psql's input then ends
     * without COMMIT, which rolls everything back.
     */
    private static boolean feed(ChildProcess reader, ChildProcess writer, TableReplacement r, Watchdog cancel) {
        try (OutputStream to = writer.stdin();
                InputStream from = reader.stdout()) {
            to.write(TableSwapSql.before(r.tables(), r.keepSchema(), r.keepComment())
                    .getBytes(StandardCharsets.UTF_8));
            from.transferTo(to);
            // CANCELLED here when the caller cancelled: psql's input then ends without COMMIT
            if (reader.waitFor() != 0) {
                return false;
            }
            cancel.close();
            if (Thread.currentThread().isInterrupted()) {
                writer.kill();
                throw writer.cancelled();
            }
            to.write(TableSwapSql.after().getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            // psql stopped reading: it failed, and its exit code and stderr say why
            return true;
        }
    }

    /**
     * Kills both children when the calling thread is interrupted (a cancel): pipe reads and writes do
     * not wake up on an interrupt, and a blocked psql (a lock wait, a long index build) would otherwise
     * hold the cancel until it finished. Their pipes then break, the pump stops, and the next wait
     * throws CANCELLED; psql never saw COMMIT, so nothing is committed.
     */
    private static final class Watchdog implements AutoCloseable {
        private final Thread thread;
        private volatile boolean done;

        private Watchdog(Thread caller, ChildProcess... children) {
            this.thread = new Thread(
                    () -> {
                        while (!done) {
                            if (caller.isInterrupted()) {
                                for (ChildProcess c : children) {
                                    c.kill();
                                }
                                return;
                            }
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "lifeboat-restore-cancel");
            thread.setDaemon(true);
        }

        static Watchdog onInterrupt(ChildProcess... children) {
            Watchdog w = new Watchdog(Thread.currentThread(), children);
            w.thread.start();
            return w;
        }

        @Override
        public void close() {
            done = true;
            thread.interrupt();
        }
    }

    /** psql's exit: BUSY when the lock watch gave up on a lock, else what psql said, as a failure. */
    private static void requireSuccess(int code, ChildProcess psql, LockWatch watch, ConnectionSpec target) {
        if (code == 0) {
            return;
        }
        if (watch != null && watch.blockers() != null) {
            throw watch.gaveUp(target, psql.stderr());
        }
        throw failed(target, code, psql.stderr());
    }

    /** psql's environment for {@code target}, named {@code appName} so the lock watch finds its backend. */
    private static Map<String, String> named(PgClientEnvironment.Prepared env, String appName) {
        Map<String, String> named = new HashMap<>(env.env());
        named.put("PGAPPNAME", appName);
        return named;
    }

    private static String appName() {
        return "lifeboat-restore-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static LifeboatException failed(ConnectionSpec target, int code, String stderr) {
        LifeboatException e = PgErrors.failed("psql", code, stderr, target);
        String said = stderr == null ? "" : stderr;
        int at = said.indexOf("lifeboat: ");
        if (at >= 0) {
            // our own refusal (a materialized view, rows a foreign key needs): say it plainly
            String line = said.substring(at + "lifeboat: ".length())
                    .lines()
                    .findFirst()
                    .orElse("");
            return new LifeboatException(
                    line.startsWith("materialized") ? ErrorCode.INVALID_ARGUMENT : ErrorCode.INTEGRITY_FAILED,
                    line + "; nothing was committed, so '" + target.dbname() + "' is as it was",
                    line.startsWith("materialized")
                            ? "restore the selection into a new database and copy the tables over by hand"
                            : "restore the referencing tables too, or restore into a new database",
                    e);
        }
        return e.followedBy("; the restore ran in one transaction, so '" + target.dbname() + "' is as it was");
    }
}
