package dev.lifeboat.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link PgCluster} server as a local process: initdb + pg_ctl from the newest local binaries
 * ({@code /usr/lib/postgresql/<major>/bin}), listening on 127.0.0.1 on a free port, scram-sha-256
 * password authentication only (no trust), fsync off, autovacuum off. When the JVM runs as root the
 * server runs as the {@code postgres} user via runuser, since initdb refuses root. Stopped and deleted
 * on {@link #stop()}, with a shutdown hook as the safety net.
 */
final class LocalPostgres implements PgCluster.Server {
    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;
    private final Thread shutdownHook;
    private boolean stopped;

    private LocalPostgres(Path bin, Path base, int port, String password, boolean asPostgresUser) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.password = password;
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stopQuietly, "pg-cluster-stop-" + port);
    }

    /** The newest local server binaries' directory, or null if there are none. */
    static Path findBin() {
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

    /** Starts a new cluster whose superuser {@link PgCluster#SUPERUSER} has {@code superuserPassword}. */
    static LocalPostgres start(String superuserPassword) {
        Path bin = findBin();
        if (bin == null) {
            throw new IllegalStateException("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin and no Docker"
                    + " engine reachable: install postgresql (e.g. apt-get install postgresql); the tests need"
                    + " initdb and pg_ctl, and pg_dump and pg_restore");
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
            LocalPostgres cluster = new LocalPostgres(bin, base, freePort(), superuserPassword, root);
            Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
            try {
                cluster.initAndStart();
                return cluster;
            } catch (IllegalStateException e) {
                // most likely the port was taken between probing and binding: try another
                last = e;
                cluster.stop();
            }
        }
        throw last;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public String describe() {
        return "a local throwaway cluster (" + bin + ")";
    }

    @Override
    public void stop() {
        stopQuietly();
        PgCluster.removeShutdownHook(shutdownHook);
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
                        PgCluster.SUPERUSER,
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
                            + PgCluster.SERVER_SETTINGS.entrySet().stream()
                                    .map(e -> e.getKey() + " = '" + e.getValue() + "'\n")
                                    .reduce("", String::concat),
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
