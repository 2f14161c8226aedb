package dev.lifeboat.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.config.ApprovalMode;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.RowCounts;
import dev.lifeboat.core.config.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigBuilderTest {
    private static final String RECIPIENT = "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq";

    @TempDir
    Path dir;

    @Test
    void everySettingItWritesLoads() throws IOException {
        Path key = dir.resolve("age.key");
        Files.writeString(key, "AGE-SECRET-KEY-1\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        LifeboatConfig c = ConfigBuilder.in(dir)
                .database(
                        "app",
                        db -> db.host("127.0.0.1")
                                .port(6543)
                                .dbname("App DB")
                                .user("backup")
                                .sslmode("disable")
                                .passwordEnv("APP_PW")
                                .countRows("exact")
                                .store("vault")
                                .retention("keep_last", 3)
                                .retention("keep_within", "30d")
                                .compression("zstd")
                                .compressionLevel(7)
                                .restoreJobs(2)
                                .drillTarget("app"))
                .database("other", db -> db.user("u").set("pg_bin_dir", dir))
                .store("local", dir.resolve("store"))
                .store(
                        "vault",
                        "file://" + dir.resolve("vault"),
                        s -> s.compression("none")
                                .encryption(e -> e.recipients(RECIPIENT).identityFile(key)))
                .directory(
                        "uploads",
                        Path.of("/srv/uploads"),
                        d -> d.store("local").excludes("cache/**", "*.tmp"))
                .set("nightly", "app", "uploads")
                .stateDir(dir.resolve("state"))
                .defaultStore("local")
                .defaultDatabase("app")
                .defaultRestoreJobs(4)
                .tokenTtl("90s")
                .approval("operator")
                .load(Map.of("HOME", dir.toString()));

        DatabaseConfig app = c.database(null);
        assertThat(app.host()).isEqualTo("127.0.0.1");
        assertThat(app.port()).isEqualTo(6543);
        assertThat(app.dbname()).isEqualTo("App DB");
        assertThat(app.sslmode()).isEqualTo("disable");
        assertThat(app.passwordEnv()).isEqualTo("APP_PW");
        assertThat(app.rowCounts()).isEqualTo(RowCounts.EXACT);
        assertThat(app.store()).isEqualTo("vault");
        assertThat(app.retention().keepLast()).isEqualTo(3);
        assertThat(app.compression().method()).isEqualTo(Compression.ZSTD);
        assertThat(app.compression().level()).isEqualTo(7);
        assertThat(c.restoreJobs(app)).isEqualTo(2);
        assertThat(c.restoreJobs(c.database("other"))).isEqualTo(4);
        assertThat(c.database("other").pgBinDir()).isEqualTo(dir);
        StoreConfig vault = c.store("vault");
        assertThat(vault.uri().path()).isEqualTo(dir.resolve("vault").toString());
        assertThat(vault.encryption().recipients()).containsExactly(RECIPIENT);
        assertThat(vault.encryption().identityFile()).isEqualTo(key);
        assertThat(vault.compression().method()).isEqualTo(Compression.NONE);
        assertThat(c.store(null).name()).isEqualTo("local");
        assertThat(c.directory("uploads").excludes()).containsExactly("cache/**", "*.tmp");
        assertThat(c.set("nightly").members()).containsExactly("app", "uploads");
        assertThat(c.stateDir()).isEqualTo(dir.resolve("state"));
        assertThat(c.tokenTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.approval()).isEqualTo(ApprovalMode.OPERATOR);
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws IOException {
        Path f = ConfigBuilder.in(dir.resolve("sub"))
                .database("app", db -> db.user("u"))
                .write("custom.yaml");
        assertThat(f).isEqualTo(dir.resolve("sub/custom.yaml"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-------");
    }

    @Test
    void rawYamlMergesOverWhatTheBuilderWrote() {
        String yaml = ConfigBuilder.in(dir)
                .database("app", db -> db.user("u").port(5432))
                .tokenTtl("1s")
                .raw("""
                        databases:
                          app:
                            port: 6000
                          b:
                            user: v
                        confirm:
                          approval: operator
                        mcp:
                          port: 8765
                        """)
                .yaml();
        assertThat(yaml).contains("port: 6000", "user: v", "token_ttl: 1s", "approval: operator", "mcp:");
        LifeboatConfig c = ConfigBuilder.in(dir).raw(yaml).load(Map.of("HOME", dir.toString()));
        assertThat(c.database("app").port()).isEqualTo(6000);
        assertThat(c.database("app").user()).isEqualTo("u");
        assertThat(c.databases()).containsOnlyKeys("app", "b");
        assertThat(c.approval()).isEqualTo(ApprovalMode.OPERATOR);
    }

    @Test
    void namingAnEntryAgainChangesTheOneAlreadyThere() {
        LifeboatConfig c = ConfigBuilder.in(dir)
                .database("app", db -> db.host("127.0.0.1").port(5432).user("u"))
                .store("vault", dir.resolve("vault"), s -> s.encryption(e -> e.recipients(RECIPIENT)))
                .directory("uploads", Path.of("/srv/uploads"))
                .database("app", db -> db.port(1))
                .store("vault", dir.resolve("vault2"), s -> s.compression("none"))
                .directory("uploads", Path.of("/srv/other"), d -> d.excludes("*.tmp"))
                .load(Map.of("HOME", dir.toString()));
        assertThat(c.database("app").port()).isEqualTo(1);
        assertThat(c.database("app").user()).isEqualTo("u");
        assertThat(c.store("vault").uri().path())
                .isEqualTo(dir.resolve("vault2").toString());
        assertThat(c.store("vault").encryption().recipients()).containsExactly(RECIPIENT);
        assertThat(c.store("vault").compression().method()).isEqualTo(Compression.NONE);
        assertThat(c.directory("uploads").path()).isEqualTo(Path.of("/srv/other"));
        assertThat(c.directory("uploads").excludes()).containsExactly("*.tmp");
    }
}
