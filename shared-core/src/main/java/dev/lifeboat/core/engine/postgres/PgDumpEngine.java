package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.engine.ArchiveToc;
import dev.lifeboat.core.engine.ChildProcess;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.CustomArchive;
import dev.lifeboat.core.engine.DatabaseState;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.Dump;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.DumpOptions;
import dev.lifeboat.core.engine.DumpProgress;
import dev.lifeboat.core.engine.RestoreOptions;
import dev.lifeboat.core.engine.RoleCheck;
import dev.lifeboat.core.engine.RolesDump;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableContent;
import dev.lifeboat.core.engine.TableDependents;
import dev.lifeboat.core.engine.TableReplacement;
import dev.lifeboat.core.engine.TableSummary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PostgreSQL engine: pg_dump/pg_restore as child processes for the data, JDBC for the questions
 * around it (server version, tables, row counts, create and drop).
 *
 * <p>Restores keep the archive's owners or give everything to the restoring login, as {@link
 * RestoreOptions} says; the core checks beforehand that the roles exist ({@link #checkRoles}), so
 * pg_restore's {@code --exit-on-error} never meets a missing role half-way through.
 *
 * <p>One engine serves one operation: it keeps its connection to the maintenance database (for
 * inspect, create, drop) and the server version it learnt open for reuse until {@link #close}, so a
 * restore into a new database connects once before pg_restore instead of once per question.
 */
public final class PgDumpEngine implements DumpEngine {
    private final Map<String, String> environment;
    private final Passfiles passfiles;
    private final PgTools tools;
    private final PgJdbc jdbc;
    /** The open maintenance connection, kept for this engine's operation. */
    private final MaintenanceConnection maintenance;

    private final Databases databases;
    private final PgArchiveListing listing;
    private final PgTableReplace tables;
    private final PgRoles roles;
    private final PgRestore restores;

    /** Server versions learnt on this engine's connections, by host:port. */
    private final Map<String, ServerInfo> servers = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param pgBinDir a directory holding pg_dump and pg_restore, used instead of searching PATH and
     *     /usr/lib/postgresql/*&#47;bin; null to search
     * @param environment the caller's environment (e.g. {@code System.getenv()}): PATH to search, the
     *     password variables it names; the tools get only its allow-listed part ({@link
     *     PgClientEnvironment}), with the connection stated explicitly
     * @param passfileDir where temporary passfiles go (created owner-only when first needed; the
     *     wiring passes {@code state_dir/run}, never a shared temp directory); passfiles left there by
     *     a killed process are removed before the first one is written
     */
    public PgDumpEngine(Path pgBinDir, Map<String, String> environment, Path passfileDir) {
        this.environment = Map.copyOf(environment);
        this.passfiles = new Passfiles(passfileDir);
        this.tools = new PgTools(pgBinDir, environment);
        this.jdbc = new PgJdbc(environment);
        this.maintenance = new MaintenanceConnection(jdbc);
        this.databases = new PgDatabases(maintenance);
        this.listing = new PgArchiveListing(tools, environment);
        PgAccess pg = new PgAccess(tools, environment, passfiles, jdbc, maintenance);
        this.tables = new PgTableReplace(pg);
        this.roles = new PgRoles(pg);
        this.restores = new PgRestore(pg);
    }

    @Override
    public ServerInfo probe(ConnectionSpec source) {
        checkInterrupted();
        try (Connection c = jdbc.connect(source)) {
            return remember(PgJdbc.serverInfo(c, source));
        } catch (SQLException e) {
            throw PgJdbc.translate(e, source, "query");
        }
    }

    @Override
    public Dump startDump(ConnectionSpec source, DumpOptions options) {
        if (options.compressLevel() < -1 || options.compressLevel() > 9) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid compression level " + options.compressLevel(),
                    "use 0 (none) to 9, or -1 for pg_dump's default");
        }
        checkInterrupted();
        // learn pg_dump's version while connecting, not after
        tools.prefetch("pg_dump");
        Timeline.mark("connecting to the source (pg_dump's version asked beside it)");
        Connection c = jdbc.connect(source);
        Timeline.mark("JDBC connected to the source");
        SnapshotCounts counts = null;
        try {
            ServerInfo server = remember(PgJdbc.serverInfo(c, source));
            PgTools.PgTool tool = tools.pick("pg_dump", server.majorVersion(), describe(source, server));
            List<String> command = new ArrayList<>(List.of(tool.path().toString(), "--format=custom", "--no-password"));
            if (options.compressLevel() >= 0) {
                command.add("--compress=" + options.compressLevel());
            }
            // progress is measured in the tables' sizes, read before pg_dump starts on them
            PgDumpProgress progress =
                    options.progress() == DumpProgress.NONE || tool.major() < PgDumpProgress.FIRST_MAJOR
                            ? null
                            : new PgDumpProgress(PgJdbc.tableSizes(c), options.progress());
            if (progress != null) {
                command.add("--verbose");
                progress.announce();
            }
            List<TableSummary> estimates = null;
            if (options.exactRowCounts()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
                String snapshot;
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
                    rs.next();
                    snapshot = rs.getString(1);
                }
                counts = new SnapshotCounts(c, source, PgJdbc.tables(c));
                command.add("--snapshot=" + snapshot);
            } else {
                estimates = PgJdbc.tables(c);
                c.close();
            }
            checkInterrupted();
            Timeline.mark("catalog queried (server, pg_dump picked, tables)");
            PgClientEnvironment.Prepared env = PgClientEnvironment.prepare(source, environment, passfiles);
            ChildProcess child = ChildProcess.start("pg_dump", command, env.env(), false, env.cleanup(), progress);
            Timeline.mark("pg_dump started");
            String compression = options.compressLevel() == 0 ? "none" : "gzip";
            PgDump dump = new PgDump(child, tool, source, server, compression, estimates, counts);
            if (counts != null) {
                counts.start();
            }
            return dump;
        } catch (SQLException e) {
            closeOnFailure(c, counts);
            throw PgJdbc.translate(e, source, "read the catalog of");
        } catch (RuntimeException e) {
            closeOnFailure(c, counts);
            throw e;
        }
    }

    @Override
    public List<String> listArchive(InputStream archive) {
        checkInterrupted();
        return listing.entries(archive);
    }

    @Override
    public ArchiveToc tableOfContents(InputStream archive) {
        checkInterrupted();
        return listing.tableOfContents(archive);
    }

    @Override
    public DatabaseState inspect(ConnectionSpec target) {
        checkInterrupted();
        // the maintenance connection answers "does it exist?" and is kept for CREATE DATABASE; only an
        // existing database is connected to, for its tables
        LifeboatException noMaintenance = null;
        try {
            Connection m = maintenance.to(target);
            ServerInfo server = remember(PgJdbc.serverInfo(m, target));
            if (!PgJdbc.databaseExists(m, target.dbname())) {
                return new DatabaseState(server, false, List.of());
            }
        } catch (SQLException e) {
            throw PgJdbc.translate(e, target, "inspect");
        } catch (LifeboatException e) {
            if (!PgJdbc.loginRefused(e)) {
                throw e;
            }
            // no access to postgres/template1 (pg_hba, CONNECT revoked): ask the target itself
            noMaintenance = e;
        }
        try (Connection c = jdbc.connect(target)) {
            ServerInfo server = remember(PgJdbc.serverInfo(c, target));
            List<String> tables =
                    PgJdbc.tables(c).stream().map(TableSummary::qualifiedName).toList();
            return new DatabaseState(server, true, tables);
        } catch (SQLException e) {
            throw PgJdbc.translate(e, target, "inspect");
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            if (noMaintenance != null) {
                throw noMaintenance;
            }
            // dropped between the two questions
            return new DatabaseState(servers.get(serverKey(target)), false, List.of());
        }
    }

    @Override
    public void createDatabase(ConnectionSpec target) {
        checkInterrupted();
        String name = PgJdbc.quote(target.dbname());
        try (Statement st = maintenance.to(target).createStatement()) {
            // template0, not template1: local additions to template1 would collide with the archive's objects
            st.execute("CREATE DATABASE " + name + " TEMPLATE template0");
        } catch (SQLException e) {
            throw PgJdbc.translate(e, target, "create the database");
        }
    }

    @Override
    public void dropDatabase(ConnectionSpec target) {
        checkInterrupted();
        String name = PgJdbc.quote(target.dbname());
        try {
            Connection c = maintenance.to(target);
            int major = remember(PgJdbc.serverInfo(c, target)).majorVersion();
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.pg_terminate_backend(pid)"
                    + " FROM pg_catalog.pg_stat_activity WHERE datname = ? AND pid <> pg_catalog.pg_backend_pid()")) {
                ps.setString(1, target.dbname());
                ps.executeQuery().close();
            }
            try (Statement st = c.createStatement()) {
                // FORCE (13+) also ends sessions that connected after the terminate above
                st.execute("DROP DATABASE IF EXISTS " + name + (major >= 13 ? " WITH (FORCE)" : ""));
            }
        } catch (SQLException e) {
            throw PgJdbc.translate(e, target, "drop the database");
        }
    }

    @Override
    public void restore(Path archive, ConnectionSpec target, RestoreOptions options) {
        requireCustomFormat(archive);
        // the version learnt by inspect/create on this engine; a connection only if there was none
        ServerInfo server = known(target);
        checkInterrupted();
        restores.restore(archive, target, server, describe(target, server), options);
    }

    @Override
    public boolean restoresFromAStream() {
        return true;
    }

    @Override
    public boolean copyArchiveHead(InputStream archive, Path file) throws IOException {
        return dev.lifeboat.core.engine.ArchiveOffsets.copyHead(archive, file);
    }

    @Override
    public void restore(InputStream archive, ConnectionSpec target, RestoreOptions options) {
        if (options.jobs() > 1 || options.only() != null) {
            throw new LifeboatException(
                    ErrorCode.INTERNAL, "a restore from a stream runs one job over every entry", null);
        }
        ServerInfo server = known(target);
        checkInterrupted();
        restores.restore(archive, target, server, describe(target, server), options);
    }

    @Override
    public Set<String> grantRoles(java.io.InputStream archive, List<Integer> grantIds) {
        checkInterrupted();
        return restores.grantRoles(archive, grantIds);
    }

    @Override
    public Set<String> grantRoles(Path archive, List<Integer> grantIds) {
        requireCustomFormat(archive);
        checkInterrupted();
        return restores.grantRoles(archive, grantIds);
    }

    @Override
    public RoleCheck checkRoles(ConnectionSpec target, Collection<String> names) {
        checkInterrupted();
        return roles.check(target, names);
    }

    @Override
    public List<String> createRoles(ConnectionSpec target, String script, Collection<String> names) {
        checkInterrupted();
        return roles.create(target, script, names);
    }

    @Override
    public void dropRoles(ConnectionSpec target, List<String> names) {
        roles.drop(target, names);
    }

    @Override
    public TableDependents tableDependents(ConnectionSpec db, List<String> names) {
        checkInterrupted();
        return tables.dependents(db, names);
    }

    @Override
    public List<String> replaceTables(Path archive, ConnectionSpec target, TableReplacement replacement) {
        requireCustomFormat(archive);
        ServerInfo server = known(target);
        checkInterrupted();
        tables.replace(archive, target, server, replacement);
        return replacement.tables().stream()
                .map(t -> replacement.keepSchema() + "." + TableSwapSql.keptName(t))
                .toList();
    }

    @Override
    public Map<String, String> schemasStartingWith(ConnectionSpec db, String prefix) {
        checkInterrupted();
        return tables.schemasStartingWith(db, prefix);
    }

    @Override
    public RolesDump roles(ConnectionSpec db) {
        checkInterrupted();
        return roles.dump(db, known(db));
    }

    @Override
    public void dropSchema(ConnectionSpec db, String schema) {
        checkInterrupted();
        tables.dropSchema(db, schema);
    }

    @Override
    public void putBackTables(ConnectionSpec target, String fromSchema, TableReplacement replacement) {
        ServerInfo server = known(target);
        checkInterrupted();
        tables.putBack(target, server, fromSchema, replacement);
    }

    @Override
    public Map<String, TableContent> archiveContents(Path archive) {
        return archiveContents(archive, null);
    }

    @Override
    public Map<String, TableContent> archiveContents(Path archive, List<Integer> only) {
        requireCustomFormat(archive);
        checkInterrupted();
        return restores.archiveContents(archive, only);
    }

    @Override
    public void prepareRestore() {
        tools.prefetch("pg_restore");
    }

    @Override
    public Databases databases() {
        return databases;
    }

    @Override
    public void close() {
        maintenance.close();
    }

    @Override
    public Map<String, TableContent> databaseContents(ConnectionSpec db) {
        ServerInfo server = probe(db);
        PgTools.PgTool tool = tools.pick("pg_dump", server.majorVersion(), describe(db, server));
        List<String> command = List.of(tool.path().toString(), "--data-only", "--no-password", "--format=plain");
        checkInterrupted();
        PgClientEnvironment.Prepared env = PgClientEnvironment.prepare(db, environment, passfiles);
        try (ChildProcess child = ChildProcess.start("pg_dump", command, env.env(), false, env.cleanup())) {
            return CopyBlocks.digestOutput(child, "pg_dump --data-only", db);
        }
    }

    @Override
    public String toolFor(int serverMajor) {
        return tools.pick("pg_dump", serverMajor, null).describe() + ", "
                + tools.pick("pg_restore", serverMajor, null).describe();
    }

    /** The version learnt by an earlier question on this engine; a connection only if there was none. */
    private ServerInfo known(ConnectionSpec target) {
        ServerInfo server = servers.get(serverKey(target));
        return server != null ? server : probe(target);
    }

    private ServerInfo remember(ServerInfo server) {
        servers.put(server.host() + ":" + server.port(), server);
        return server;
    }

    private static String serverKey(ConnectionSpec spec) {
        return spec.host() + ":" + spec.port();
    }

    private static void requireCustomFormat(Path archive) {
        byte[] head = new byte[CustomArchive.MAGIC_LENGTH];
        int n;
        try (InputStream in = Files.newInputStream(archive)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND, "cannot read the archive " + archive + ": " + e.getMessage(), null);
        }
        CustomArchive.requireMagic(Arrays.copyOf(head, n), archive.toString(), null);
    }

    private static String describe(ConnectionSpec spec, ServerInfo server) {
        return spec.host() + ":" + spec.port() + " (version " + server.version() + ")";
    }

    private static void closeOnFailure(Connection c, SnapshotCounts counts) {
        if (counts != null) {
            counts.close();
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing; the first error is the one to report
        }
    }

    private static void checkInterrupted() {
        if (Thread.interrupted()) {
            throw new LifeboatException(ErrorCode.CANCELLED, "the operation was cancelled", null);
        }
    }
}
