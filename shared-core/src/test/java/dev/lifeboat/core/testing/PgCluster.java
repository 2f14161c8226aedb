package dev.lifeboat.core.testing;

import dev.lifeboat.core.base.Secret;
import dev.lifeboat.core.engine.ConnectionSpec;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway PostgreSQL server for tests, with superuser {@link #SUPERUSER}, scram-sha-256 password
 * authentication only (no trust), fsync off, autovacuum off (so row estimates stay what a test made
 * them). It runs in one of two places, chosen when it starts and named in one line on stderr:
 *
 * <ul>
 *   <li><b>a Testcontainers container</b> when a Docker engine is reachable
 *       ({@code DockerClientFactory.isDockerAvailable()}): the image named by the system property
 *       {@value #IMAGE_PROPERTY} or the environment variable {@value #IMAGE_ENV} (e.g.
 *       {@code postgres:16}; majors 13 to 17, as {@code DROP DATABASE ... WITH (FORCE)} needs 13), by default {@code postgres:<major>} of the newest
 *       local {@code pg_dump}. Lifeboat runs the local {@code pg_dump}/{@code pg_restore}, which must be at
 *       least as new as the server: {@link #start} refuses an image newer than them. Not exercised by our
 *       CI, whose machines run no Docker engine;
 *   <li><b>a local cluster</b> otherwise, or when the image setting is {@code local}: initdb + pg_ctl from
 *       the newest {@code /usr/lib/postgresql/<major>/bin} (Debian package {@code postgresql}), on
 *       127.0.0.1 and a free port. Naming an image without a reachable Docker engine is an error, not a
 *       silent fall-back.
 * </ul>
 *
 * <p>What tests see is the same either way: {@link #host()}, {@link #port()}, {@link #password()},
 * {@link #majorVersion()}, JDBC connections and SQL helpers. The server's files and processes are not
 * exposed: a test that needs them (a data directory, killing the postmaster) only makes sense for the
 * local cluster and must {@code assumeTrue(pg.isLocal())}. Tests that write {@code host: 127.0.0.1} into
 * a configuration instead of {@link #host()} assume the Docker engine runs on this machine (its
 * published ports listen on the loopback address too).
 *
 * <p>Use {@link #shared()} (one server per test JVM, stopped at exit) or {@link #start(String)} with
 * try-with-resources. Either is always stopped and deleted, also when a test fails; a shutdown hook
 * (and, for a container, Testcontainers' Ryuk) is the safety net.
 */
public final class PgCluster implements AutoCloseable {
    /** The superuser every cluster is made with. */
    public static final String SUPERUSER = "lifeboat_admin";

    /** The system property naming the image to run (e.g. {@code postgres:16}), or {@code local}. */
    public static final String IMAGE_PROPERTY = "lifeboat.test.pg.image";

    /** The environment variable naming the image to run, when the system property is not set. */
    public static final String IMAGE_ENV = "LIFEBOAT_TEST_PG_IMAGE";

    /** The server settings of both kinds of server: what the tests rely on, and speed over durability. */
    static final Map<String, String> SERVER_SETTINGS = settings();

    private static PgCluster shared;

    /** Where a cluster runs: a local process or a container. */
    interface Server {
        /** The address clients connect to. */
        String host();

        /** The TCP port clients connect to. */
        int port();

        /** Whether the server is a process on this machine, its files in a local directory. */
        boolean isLocal();

        /** A few words for the start-up line, e.g. "a local throwaway cluster (/usr/lib/postgresql/15/bin)". */
        String describe();

        /** Stops the server and deletes what it left; safe to call twice. */
        void stop();
    }

    /** Removes {@code hook} that would stop a server at exit, once the server is stopped; unless the JVM is exiting. */
    static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }

    private final Server server;
    private final String password;
    private final String version;
    private final int major;

    private PgCluster(Server server, String password) {
        this.server = server;
        this.password = password;
        // e.g. "15.20 (Debian 15.20-0+deb12u1)": the number is enough
        this.version = queryValue("postgres", "SHOW server_version").split(" ")[0];
        this.major = Integer.parseInt(queryValue("postgres", "SHOW server_version_num")) / 10000;
    }

    /**
     * The cluster shared by every test in this JVM, started on first use with a random canary password
     * (see {@link #password()}).
     */
    public static synchronized PgCluster shared() {
        if (shared == null) {
            shared = start("lb-canary-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        }
        return shared;
    }

    /** Whether local PostgreSQL server binaries exist, so the local cluster can start. */
    public static boolean available() {
        return LocalPostgres.findBin() != null;
    }

    /** Starts a new cluster whose superuser {@link #SUPERUSER} has {@code superuserPassword}. */
    public static PgCluster start(String superuserPassword) {
        String image = setting(IMAGE_PROPERTY, IMAGE_ENV);
        Server server;
        String why;
        if ("local".equalsIgnoreCase(image)) {
            server = LocalPostgres.start(superuserPassword);
            why = IMAGE_ENV + "=local";
        } else if (image != null) {
            if (!ContainerPostgres.dockerAvailable()) {
                throw new IllegalStateException(IMAGE_ENV + " (or -D" + IMAGE_PROPERTY + ") is " + image
                        + ", but no Docker engine is reachable (Testcontainers found none): start one, or unset it"
                        + " to use a local cluster");
            }
            server = ContainerPostgres.start(image, superuserPassword);
            why = IMAGE_ENV + "=" + image;
        } else if (ContainerPostgres.dockerAvailable()) {
            int client = newestClientMajor();
            String defaultImage = "postgres:" + (client > 0 ? client : 17);
            server = ContainerPostgres.start(defaultImage, superuserPassword);
            why = "a Docker engine is reachable; " + IMAGE_ENV + " picks another image, or local";
        } else {
            server = LocalPostgres.start(superuserPassword);
            why = "no Docker engine reachable";
        }
        PgCluster cluster;
        try {
            cluster = new PgCluster(server, superuserPassword);
            cluster.checkClientTools();
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        System.err.println("PgCluster: PostgreSQL " + cluster.version + " in " + server.describe() + " at "
                + server.host() + ":" + server.port() + " (" + why + ")");
        return cluster;
    }

    public int port() {
        return server.port();
    }

    public String host() {
        return server.host();
    }

    /** The superuser's password as a plain string (tests use it as a canary). */
    public String password() {
        return password;
    }

    /** The server's major version. */
    public int majorVersion() {
        return major;
    }

    /**
     * Whether the server is a local process (the local cluster) rather than a container: a test that
     * needs the server's files or process must assume this.
     */
    public boolean isLocal() {
        return server.isLocal();
    }

    /**
     * The major version of the newest local {@code pg_dump}: the one Lifeboat picks (the newest at least
     * as new as the server), which may be newer than {@link #majorVersion()} when the server is a
     * container of an older major.
     */
    public int clientMajorVersion() {
        return newestClientMajor();
    }

    /**
     * The newest local {@code /usr/lib/postgresql/<major>/bin/<name>} (e.g. {@code pg_restore}) at least
     * as new as the server, for tests that run a client tool by hand as a user without Lifeboat would.
     */
    public Path clientTool(String name) {
        List<Integer> majors = clientMajors(name);
        if (majors.isEmpty() || majors.get(0) < major) {
            throw new IllegalStateException("no local " + name + " for PostgreSQL " + major + " in"
                    + " /usr/lib/postgresql/*/bin: install postgresql-client-" + major);
        }
        return clientDir(majors.get(0)).resolve(name);
    }

    /**
     * {@code pg_restore} run by hand into {@code db} as a user without Lifeboat would (the archive from
     * stdin, or a file added as the last argument), with {@link #clientEnv()} for its password.
     */
    public List<String> pgRestoreCommand(String db) {
        return List.of(
                clientTool("pg_restore").toString(),
                "--no-owner",
                "--exit-on-error",
                "-h",
                host(),
                "-p",
                Integer.toString(port()),
                "-U",
                SUPERUSER,
                "-d",
                db);
    }

    /** The environment a client tool run by hand needs: the superuser's password. */
    public Map<String, String> clientEnv() {
        return Map.of("PGPASSWORD", password);
    }

    /** How to reach {@code db} as the superuser, password as a {@link Secret}, sslmode disable. */
    public ConnectionSpec connectionSpec(String db) {
        return new ConnectionSpec(host(), port(), db, SUPERUSER, "disable", Secret.of(password), null);
    }

    /**
     * A connection to {@code db} in an open transaction holding an ACCESS EXCLUSIVE lock on its first
     * user table (by name), so a pg_dump of it waits until the connection is closed.
     */
    public Connection lockFirstTable(String db) throws SQLException {
        Connection c = connect(db);
        c.setAutoCommit(false);
        String table = queryValue(
                db,
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
                        + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1 LIMIT 1");
        c.createStatement().execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        return c;
    }

    /** A JDBC connection to {@code db} as the superuser. */
    public Connection connect(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + host() + ":" + port() + "/" + URLEncoder.encode(db, StandardCharsets.UTF_8), p);
    }

    /** Creates a database (from template0) and returns its name. */
    public String createDatabase(String name) {
        execute("postgres", "CREATE DATABASE " + quote(name) + " TEMPLATE template0");
        return name;
    }

    /** A database with a fresh unique name starting with {@code prefix}. */
    public String createUniqueDatabase(String prefix) {
        return createDatabase(uniqueName(prefix));
    }

    /** A fresh name starting with {@code prefix}, e.g. for a database a restore is to create. */
    public static String uniqueName(String prefix) {
        return prefix + "_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    public void dropDatabase(String name) {
        execute("postgres", "DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
    }

    public boolean databaseExists(String name) {
        return !query("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'")
                .isEmpty();
    }

    /** Runs each statement in {@code db}, autocommit. */
    public void execute(String db, String... sql) {
        try (Connection c = connect(db);
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed in " + db + ": " + e.getMessage(), e);
        }
    }

    /** The rows of a query, each column as text (null stays null). */
    public List<List<String>> query(String db, String sql) {
        try (Connection c = connect(db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>(cols);
                for (int i = 1; i <= cols; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed in " + db + ": " + e.getMessage(), e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public String queryValue(String db, String sql) {
        List<List<String>> rows = query(db, sql);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row, got " + rows.size() + " for " + sql);
        }
        return rows.get(0).get(0);
    }

    /**
     * Every user table of {@code db} (schema-qualified, unquoted) with its row count and an MD5 of its
     * rows' text forms in sorted order: equal maps mean equal contents.
     */
    public Map<String, TableFingerprint> tableFingerprints(String db) {
        List<List<String>> tables = query(
                db,
                "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                        + " AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2");
        Map<String, TableFingerprint> out = new LinkedHashMap<>();
        for (List<String> t : tables) {
            String qualified = quote(t.get(0)) + "." + quote(t.get(1));
            List<String> row = query(
                            db,
                            "SELECT count(*), md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), ''))"
                                    + " FROM " + qualified + " r")
                    .get(0);
            out.put(t.get(0) + "." + t.get(1), new TableFingerprint(Long.parseLong(row.get(0)), row.get(1)));
        }
        return out;
    }

    /** One table's row count and content checksum. */
    public record TableFingerprint(long rows, String md5) {}

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Stops the server and deletes its files. The shared cluster ignores this (it stops at JVM exit). */
    @Override
    public void close() {
        synchronized (PgCluster.class) {
            if (this == shared) {
                return;
            }
        }
        server.stop();
    }

    /** Fails fast when Lifeboat could not dump this server: it needs a local pg_dump at least as new. */
    private void checkClientTools() {
        for (String tool : List.of("pg_dump", "pg_restore")) {
            List<Integer> majors = clientMajors(tool);
            if (majors.isEmpty() || majors.get(0) < major) {
                throw new IllegalStateException("the test server runs PostgreSQL " + major + " but the newest local "
                        + tool + " is "
                        + (majors.isEmpty() ? "missing" : majors.get(0).toString())
                        + ": install postgresql-client-" + major + " (Debian package postgresql-client for the"
                        + " distribution's own major), or pick an older image with " + IMAGE_ENV);
            }
        }
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("password_encryption", "scram-sha-256");
        s.put("fsync", "off");
        s.put("synchronous_commit", "off");
        s.put("full_page_writes", "off");
        s.put("wal_level", "minimal");
        s.put("max_wal_senders", "0");
        // planner estimates must not change under a test's feet
        s.put("autovacuum", "off");
        s.put("max_connections", "60");
        s.put("shared_buffers", "32MB");
        return Collections.unmodifiableMap(s);
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int newestClientMajor() {
        List<Integer> majors = clientMajors("pg_dump");
        return majors.isEmpty() ? 0 : majors.get(0);
    }

    private static Path clientDir(int major) {
        return Path.of("/usr/lib/postgresql", Integer.toString(major), "bin");
    }

    /** The majors {@code /usr/lib/postgresql/<major>/bin/<tool>} exists for, newest first. */
    private static List<Integer> clientMajors(String tool) {
        Path root = Path.of("/usr/lib/postgresql");
        List<Integer> majors = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return majors;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path d : ds) {
                String name = d.getFileName().toString();
                if (name.matches("\\d+") && Files.isExecutable(d.resolve("bin").resolve(tool))) {
                    majors.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            return majors;
        }
        majors.sort(Comparator.reverseOrder());
        return majors;
    }
}
