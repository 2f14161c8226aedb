package dev.lifeboat.core.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link PgCluster} server in a Docker container started by Testcontainers: the official
 * {@code postgres} image (or one compatible with it) of any major, superuser {@link PgCluster#SUPERUSER},
 * scram-sha-256 for every connection, the same server settings as the local cluster, its port published
 * on the Docker host. Testcontainers' Ryuk removes the container if the JVM dies; {@link #stop()} and a
 * shutdown hook remove it otherwise.
 *
 * <p>Not exercised by our CI: its machines run no Docker engine.
 */
final class ContainerPostgres implements PgCluster.Server {
    private final PostgreSQLContainer container;
    private final String image;
    private final Thread shutdownHook;

    private ContainerPostgres(PostgreSQLContainer container, String image) {
        this.container = container;
        this.image = image;
        this.shutdownHook = new Thread(container::stop, "pg-container-stop");
    }

    /**
     * Whether Testcontainers reaches a Docker engine. Its own logging is silenced for the probe, which
     * without an engine is an ERROR with every strategy it tried: the caller prints one line instead.
     */
    static boolean dockerAvailable() {
        Runnable restore = Quiet.silence("org.testcontainers");
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        } finally {
            restore.run();
        }
    }

    /** Starts {@code image} (e.g. {@code postgres:16}) with {@code superuserPassword}. */
    static ContainerPostgres start(String image, String superuserPassword) {
        PostgreSQLContainer container = container(image, superuserPassword);
        ContainerPostgres server = new ContainerPostgres(container, image);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            container.start();
        } catch (RuntimeException e) {
            server.stop();
            throw new IllegalStateException("cannot start PostgreSQL in a container from " + image + ": " + e, e);
        }
        return server;
    }

    /** The container as configured, not started (nothing here talks to Docker). */
    static PostgreSQLContainer container(String image, String superuserPassword) {
        DockerImageName name = DockerImageName.parse(image).asCompatibleSubstituteFor("postgres");
        List<String> command = new ArrayList<>(List.of("postgres"));
        for (Map.Entry<String, String> setting : PgCluster.SERVER_SETTINGS.entrySet()) {
            command.add("-c");
            command.add(setting.getKey() + "=" + setting.getValue());
        }
        @SuppressWarnings("resource") // the caller stops it
        PostgreSQLContainer container = new PostgreSQLContainer(name)
                .withUsername(PgCluster.SUPERUSER)
                .withPassword(superuserPassword)
                .withDatabaseName("postgres")
                // scram-sha-256 for local and host connections (also on 13, whose default is md5)
                .withEnv(
                        "POSTGRES_INITDB_ARGS",
                        "--auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C")
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
                .withCommand(command.toArray(String[]::new))
                .withStartupTimeout(Duration.ofMinutes(3));
        return container;
    }

    @Override
    public String host() {
        String host = container.getHost();
        // the tests' configurations name 127.0.0.1: say so when the Docker host is this machine
        try {
            if (InetAddress.getByName(host).isLoopbackAddress()) {
                return "127.0.0.1";
            }
        } catch (UnknownHostException e) {
            // keep the name as Testcontainers gave it
        }
        return host;
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    @Override
    public String describe() {
        return "a Testcontainers container (" + image + ")";
    }

    @Override
    public void stop() {
        container.stop();
        PgCluster.removeShutdownHook(shutdownHook);
    }

    /** Turns a logger off while Testcontainers probes for Docker, when the logging backend is logback. */
    private static final class Quiet {
        static Runnable silence(String logger) {
            if (!LoggerFactory.getILoggerFactory()
                    .getClass()
                    .getName()
                    .equals("ch.qos.logback.classic.LoggerContext")) {
                return () -> {};
            }
            return Logback.off(logger);
        }
    }

    /** Loaded only when logback is the backend. */
    private static final class Logback {
        static Runnable off(String name) {
            ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
            ch.qos.logback.classic.Level before = logger.getLevel();
            logger.setLevel(ch.qos.logback.classic.Level.OFF);
            return () -> logger.setLevel(before);
        }
    }
}
