package dev.lifeboat.mcp;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.testing.ConfigBuilder;
import dev.lifeboat.core.testing.LiveService;
import dev.lifeboat.core.testing.SampleManifest;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A real configuration file, a real local store and the real service, for tests of the store-only
 * tools (list, get, verify checksum, delete). Backups are seeded through the real catalog; tools
 * that need PostgreSQL are covered by the end-to-end tests against a real cluster.
 */
final class Fixture implements AutoCloseable {
    /** The database password in the environment: no answer, log line or audit line may hold it. */
    static final String CANARY = "canary-Pw-93xq";

    final Path dir;
    final LiveService live;
    final Path configFile;
    final LifeboatConfig config;
    final BackupService service;

    /** The fixture's configuration: database 'app' (unreachable), stores 'local' and 'vault'. */
    Fixture(Path dir) throws Exception {
        this(dir, c -> {});
    }

    /** The fixture's configuration with what {@code more} adds: directories, sets, confirm settings... */
    Fixture(Path dir, Consumer<ConfigBuilder> more) throws Exception {
        this.dir = dir;
        this.live = LiveService.in(dir)
                .config(c -> c.database(
                        "app",
                        db -> db.host("127.0.0.1")
                                .port(1)
                                .user("app")
                                .passwordEnv("APP_PGPASSWORD")
                                .store("local")))
                .store("local")
                .store("vault")
                .env("APP_PGPASSWORD", CANARY)
                .config(more);
        Files.createDirectories(live.storeDir("local"));
        this.configFile = live.write();
        this.config = new ConfigLoader(env()).load(configFile);
        this.service = live.open(config);
    }

    /** The real MCP client over Streamable HTTP, to a server on this fixture's service. */
    McpClients httpClient() throws Exception {
        return McpClients.start(service, configFile, env(), McpSchema.LoggingLevel.INFO, "http");
    }

    /** Clients over {@code transports} whose person answers the server's forms with {@code elicitation}. */
    McpClients clients(Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation, String... transports)
            throws Exception {
        return McpClients.start(service, configFile, env(), McpSchema.LoggingLevel.INFO, elicitation, transports);
    }

    /** The environment of the service and of a spawned server: HOME (the fixture's directory) and the password. */
    Map<String, String> env() {
        return live.env();
    }

    /** Commits a backup of 'app' taken at {@code at} whose data is {@code content}. */
    String seed(Instant at, String content, String label) throws Exception {
        try (BackupStore store = BackupStores.open(config.store("local"), env())) {
            return SampleManifest.of("app", at)
                    .server(new ServerInfo("127.0.0.1", 1, "app", "app", "15.18", 15))
                    .dumpTool("pg_dump (PostgreSQL) 15.18")
                    .finishedAt(at.plusSeconds(2))
                    .label(label)
                    .tags(Map.of("ticket", "OPS-1"))
                    .toolVersion("test")
                    .tables(new TableSummary("public", "accounts", 3, false))
                    .commit(new Catalog(store), content.getBytes(StandardCharsets.UTF_8))
                    .id();
        }
    }

    /** Corrupts a seeded backup's stored bytes (same length, different content). */
    void corrupt(String backupId) throws Exception {
        Path data;
        try (var files = Files.walk(live.storeDir("local"))) {
            data = files.filter(p -> p.toString().contains(backupId)
                            && p.getFileName().toString().equals("dump"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] b = Files.readAllBytes(data);
        b[0] ^= 1;
        Files.write(data, b);
    }

    @Override
    public void close() {
        service.close();
    }
}
