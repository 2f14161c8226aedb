package dev.lifeboat.core.testing;

import dev.lifeboat.core.base.Secret;
import dev.lifeboat.core.engine.ConnectionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: initdb + pg_ctl from the newest local binaries
 * ({@code /usr/lib/postgresql/<major>/bin}), listening on 127.0.0.1 on a free port, scram-sha-256
 * password authentication only (no trust), fsync off, autovacuum off (so row estimates stay what a
 * test made them). When the JVM runs as root the server runs as the
 * {@code postgres} user via runuser, since initdb refuses root.
 *
 * <p>Use {@link #shared()} (one cluster per test JVM, stopped at exit) or {@link #start(String)} with
 * try-with-resources. Either is always stopped and deleted, also when a test fails; a shutdown hook is
 * the safety net.
 */
public final class PgCluster implements AutoCloseable {
    /** The superuser every cluster is made with. */
    public static final String SUPERUSER = "lifeboat_admin";

    private static PgCluster shared;

    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;
    private final Thread shutdownHook;
    private boolean stopped;

    private PgCluster(Path bin, Path base, int port, String password, boolean asPostgresUser) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.password = password;
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stopQuietly, "pg-cluster-stop-" + port);
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

    /** Whether local PostgreSQL server binaries exist (tests may skip without them). */
    public static boolean available() {
        return findBin() != null;
    }

    /** Starts a new cluster whose superuser {@link #SUPERUSER} has {@code superuserPassword}. */
    public static PgCluster start(String superuserPassword) {
        Path bin = findBin();
        if (bin == null) {
            throw new IllegalStateException(
                    "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: install postgresql (e.g. apt-get"
                            + " install postgresql)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path base;
            try {
                base = Files.createTempDirectory("lifeboat-pg-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PgCluster cluster = new PgCluster(bin, base, freePort(), superuserPassword, root);
            Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
            try {
                cluster.initAndStart();
                return cluster;
            } catch (IllegalStateException e) {
                // most likely the port was taken between probing and binding: try another
                last = e;
                cluster.close();
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The superuser's password as a plain string (tests use it as a canary). */
    public String password() {
        return password;
    }

    /** The server's major version. */
    public int majorVersion() {
        return Integer.parseInt(bin.getParent().getFileName().toString());
    }

    /** How to reach {@code db} as the superuser, password as a {@link Secret}, sslmode disable. */
    public ConnectionSpec connectionSpec(String db) {
        return new ConnectionSpec(host(), port, db, SUPERUSER, "disable", Secret.of(password), null);
    }

    /** A JDBC connection to {@code db} as the superuser. */
    public Connection connect(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + URLEncoder.encode(db, StandardCharsets.UTF_8), p);
    }

    /** Creates a database (from template0) and returns its name. */
    public String createDatabase(String name) {
        execute("postgres", "CREATE DATABASE " + quote(name) + " TEMPLATE template0");
        return name;
    }

    /** A database with a fresh unique name starting with {@code prefix}. */
    public String createUniqueDatabase(String prefix) {
        return createDatabase(prefix + "_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
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
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }

    private synchronized void stopQuietly() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
            } catch (RuntimeException e) {
                System.err.println("PgCluster: stopping the server failed: " + e.getMessage());
            }
        }
        deleteTree(base);
    }

    private void initAndStart() {
        try {
            if (asPostgresUser) {
                chown(base);
            }
            Path pwfile = base.resolve("pwfile");
            Files.createFile(
                    pwfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pwfile, password + "\n");
            if (asPostgresUser) {
                chown(pwfile);
            }
            try {
                run(List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        SUPERUSER,
                        "--pwfile=" + pwfile,
                        "--auth-local=scram-sha-256",
                        "--auth-host=scram-sha-256",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync"));
            } finally {
                Files.deleteIfExists(pwfile);
            }
            Files.writeString(
                    data.resolve("pg_hba.conf"),
                    "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n",
                    StandardOpenOption.TRUNCATE_EXISTING);
            Path sockets = base.resolve("sock");
            Files.createDirectories(sockets);
            if (asPostgresUser) {
                chown(sockets);
            }
            Files.writeString(
                    data.resolve("postgresql.conf"),
                    "\n# lifeboat test cluster\n"
                            + "listen_addresses = '127.0.0.1'\n"
                            + "port = " + port + "\n"
                            + "unix_socket_directories = '" + sockets + "'\n"
                            + "password_encryption = 'scram-sha-256'\n"
                            + "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                            + "wal_level = minimal\nmax_wal_senders = 0\n"
                            // planner estimates must not change under a test's feet
                            + "autovacuum = off\n"
                            + "max_connections = 60\nshared_buffers = 32MB\n",
                    StandardOpenOption.APPEND);
            run(List.of(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    data.toString(),
                    "-l",
                    base.resolve("server.log").toString(),
                    "-w",
                    "-t",
                    "30",
                    "start"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up the test cluster in " + base + ": " + e, e);
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("LC_"));
        pb.environment().put("LC_ALL", "C");
        pb.directory(base.toFile());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                String log = "";
                Path serverLog = base.resolve("server.log");
                if (Files.exists(serverLog)) {
                    log = "\nserver log:\n" + Files.readString(serverLog);
                }
                throw new IllegalStateException(
                        String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8) + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static void chown(Path p) {
        try {
            Process proc = new ProcessBuilder("chown", "postgres:postgres", p.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (proc.waitFor() != 0) {
                throw new IllegalStateException("chown postgres " + p + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path findBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path d : ds) {
                if (d.getFileName().toString().matches("\\d+")
                        && Files.isExecutable(d.resolve("bin/initdb"))
                        && Files.isExecutable(d.resolve("bin/pg_ctl"))) {
                    dirs.add(d.resolve("bin"));
                }
            }
        } catch (IOException e) {
            return null;
        }
        return dirs.stream()
                .max(Comparator.comparingInt(
                        d -> Integer.parseInt(d.getParent().getFileName().toString())))
                .orElse(null);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp dir left behind is not worth failing a test run for
                }
            });
        } catch (IOException e) {
            // same
        }
    }
}
