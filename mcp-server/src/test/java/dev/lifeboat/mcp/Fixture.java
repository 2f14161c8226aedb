package dev.lifeboat.mcp;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.testing.ConfigBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real configuration file, a real local store and the real service, for tests of the store-only
 * tools (list, get, verify checksum, delete). Backups are seeded through the real catalog; tools
 * that need PostgreSQL are covered by the end-to-end tests against a real cluster.
 */
final class Fixture implements AutoCloseable {
    final Path dir;
    final Path configFile;
    final LifeboatConfig config;
    final BackupService service;

    /** The fixture's configuration with {@code extraYaml} merged over it (see {@link ConfigBuilder#raw}). */
    Fixture(Path dir, String extraYaml) throws Exception {
        this(dir, c -> c.raw(extraYaml));
    }

    /** The fixture's configuration with what {@code more} adds: directories, sets, confirm settings... */
    Fixture(Path dir, Consumer<ConfigBuilder> more) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir.resolve("store"));
        ConfigBuilder builder = ConfigBuilder.in(dir)
                .database(
                        "app",
                        db -> db.host("127.0.0.1")
                                .port(1)
                                .user("app")
                                .passwordEnv("APP_PGPASSWORD")
                                .store("local"))
                .store("local", dir.resolve("store"))
                .store("vault", dir.resolve("vault"))
                .stateDir(dir.resolve("state"));
        more.accept(builder);
        this.configFile = builder.write();
        this.config = new ConfigLoader(env()).load(configFile);
        this.service = BackupService.open(config, env());
    }

    static Map<String, String> env() {
        return Map.of("HOME", System.getProperty("java.io.tmpdir"), "APP_PGPASSWORD", "canary-Pw-93xq");
    }

    /** Commits a backup of 'app' taken at {@code at} whose data is {@code content}. */
    String seed(Instant at, String content, String label) throws Exception {
        BackupId id = BackupId.generate("app", at);
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        try (BackupStore store = BackupStores.open(config.store("local"), env())) {
            Catalog catalog = new Catalog(store);
            catalog.putData(id, new ByteArrayInputStream(data));
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            catalog.commit(new Manifest(
                    Manifest.FORMAT_VERSION,
                    id.value(),
                    "app",
                    "postgresql",
                    new ServerInfo("127.0.0.1", 1, "app", "app", "15.18", 15),
                    "pg_dump (PostgreSQL) 15.18",
                    "custom",
                    "gzip",
                    data.length,
                    sha,
                    at,
                    at.plusSeconds(2),
                    2000,
                    label,
                    Map.of("ticket", "OPS-1"),
                    "test",
                    "estimate",
                    List.of(new TableSummary("public", "accounts", 3, false)),
                    null,
                    null,
                    null));
        }
        return id.value();
    }

    /** Corrupts a seeded backup's stored bytes (same length, different content). */
    void corrupt(String backupId) throws Exception {
        Path data;
        try (var files = Files.walk(dir.resolve("store"))) {
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
