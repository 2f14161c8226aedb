package dev.lifeboat.core.config;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.testing.ConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text, String perms) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    private Map<String, String> loaderEnv() {
        return Map.of("HOME", dir.toString(), "APP_PW", "s3cret-from-env");
    }

    private ConfigLoader loader() {
        return new ConfigLoader(loaderEnv());
    }

    /** Loads {@code yaml} as a 0600 lifeboat.yaml, asserting it is refused as CONFIG_INVALID. */
    private LifeboatException invalid(String yaml) throws IOException {
        Path f = write("lifeboat.yaml", yaml, "rw-------");
        return refused(ErrorCode.CONFIG_INVALID, () -> loader().load(f));
    }

    /** The smallest valid file: one database, the default store. */
    private ConfigBuilder appOnly() {
        return ConfigBuilder.in(dir).database("app", db -> db.user("u"));
    }

    @Test
    void aCompleteConfigLoads() {
        Path f = ConfigBuilder.in(dir)
                .database(
                        "app",
                        db -> db.host("db.internal")
                                .port(6543)
                                .dbname("appdb")
                                .user("backup")
                                .sslmode("require")
                                .passwordEnv("APP_PW")
                                .countRows("exact"))
                .store("local", "file:///var/backups/lifeboat")
                .tokenTtl("90s")
                .approval("operator")
                .stateDir(Path.of("state")) // relative: to the file's directory
                .write();
        LifeboatConfig c = loader().load(f);
        DatabaseConfig app = c.database(null);
        assertThat(app.name()).isEqualTo("app");
        assertThat(app.port()).isEqualTo(6543);
        assertThat(app.rowCounts()).isEqualTo(RowCounts.EXACT);
        assertThat(c.store(null).uri().path()).isEqualTo("/var/backups/lifeboat");
        assertThat(c.tokenTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.approval()).isEqualTo(ApprovalMode.OPERATOR);
        assertThat(c.stateDir()).isEqualTo(dir.resolve("state"));
        ConnectionSpec spec = new PasswordSources(Map.of("APP_PW", "s3cret-from-env")).connect(app);
        assertThat(spec.password().reveal()).isEqualTo("s3cret-from-env");
        assertThat(spec.toString()).doesNotContain("s3cret");
    }

    @Test
    void aHugeConfigFileIsAClearErrorNotAnOutOfMemoryError() throws IOException {
        Path f = write("huge.yaml", "", "rw-------");
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            // a sparse 200 MB file: sized without writing 200 MB
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), 200L * 1024 * 1024);
        }
        LifeboatException e = refused(ErrorCode.CONFIG_INVALID, () -> loader().loadFile(f));
        assertThat(e.getMessage()).contains(f.toString(), "at most 1024 KiB");
    }

    @Test
    void everyBadSettingIsNamedAtOnce() throws IOException {
        assertThat(invalid("""
                databases:
                  app:
                    host: db
                    port: 99999
                    user: backup
                    sslmode: sometimes
                    pasword_env: X
                    count_rows: maybe
                    store: nowhere
                stores:
                  local:
                    uri: ftp://somewhere
                """))
                .hasMessageContaining("databases.app.port: '99999' is not a port number")
                .hasMessageContaining("databases.app.sslmode: 'sometimes'")
                .hasMessageContaining("databases.app.pasword_env: unknown setting")
                .hasMessageContaining("databases.app.count_rows: 'maybe'")
                .hasMessageContaining("databases.app.store: 'nowhere' is not a configured store")
                .hasMessageContaining("stores.local.uri: store URI 'ftp://somewhere' has an unknown scheme");
    }

    @Test
    void inlinePasswordsAreRefused() throws IOException {
        assertThat(invalid("databases:\n  app:\n    user: u\n    password: hunter2\n"))
                .hasMessageContaining("databases.app.password is not allowed")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aConfigReadableByOthersIsRefusedNamingThePath() throws IOException {
        Path f = write("lifeboat.yaml", "databases:\n  app:\n    user: u\n", "rw-r--r--");
        assertThatThrownBy(() -> loader().load(f))
                .hasMessageContaining(f.toString())
                .hasMessageContaining("accessible by others")
                .satisfies(e -> assertThat(((LifeboatException) e).hint()).contains("chmod 600"));
    }

    @Test
    void aPasswordFileReadableByOthersIsRefused() throws IOException {
        Path pw = write("app.pass", "secret\n", "rw-r-----");
        Path f = ConfigBuilder.in(dir)
                .database("app", db -> db.user("u").passwordFile(pw))
                .write();
        assertThatThrownBy(() -> loader().load(f))
                .hasMessageContaining("databases.app.password_file")
                .hasMessageContaining(pw.toString())
                .hasMessageContaining("accessible by others");
    }

    @Test
    void aPasswordFileIsReadAndTrimmed() throws IOException {
        Path pw = write("app.pass", "from-file-pw\n", "rw-------");
        Path f = ConfigBuilder.in(dir)
                .database("app", db -> db.user("u").passwordFile(Path.of("app.pass")))
                .write();
        LifeboatConfig c = loader().load(f);
        assertThat(c.database("app").passwordFile()).isEqualTo(pw);
        assertThat(new PasswordSources(Map.of())
                        .connect(c.database("app"))
                        .password()
                        .reveal())
                .isEqualTo("from-file-pw");
    }

    @Test
    void aMissingPasswordVariableIsNamedWhenConnecting() {
        Path f = ConfigBuilder.in(dir)
                .database("app", db -> db.user("u").passwordEnv("NOT_SET_ANYWHERE"))
                .write();
        DatabaseConfig app = loader().load(f).database("app");
        assertThatThrownBy(() -> new PasswordSources(Map.of()).connect(app))
                .hasMessageContaining("NOT_SET_ANYWHERE is not set");
    }

    @Test
    void severalStoresNeedADefaultOrAPerDatabaseStore() {
        Path f = ConfigBuilder.in(dir)
                .database("app", db -> db.user("u"))
                .store("a", "file:///tmp/a")
                .store("b", "file:///tmp/b")
                .write();
        assertThatThrownBy(() -> loader().load(f)).hasMessageContaining("databases.app.store: several stores");
    }

    @Test
    void unknownDatabasesAndStoresAreNotFoundWithTheConfiguredNames() {
        LifeboatConfig c = appOnly().load(loaderEnv());
        assertThatThrownBy(() -> c.database("nope"))
                .hasMessageContaining("no database 'nope'")
                .satisfies(e -> assertThat(((LifeboatException) e).hint()).contains("app"));
        assertThatThrownBy(() -> c.store("nope")).hasMessageContaining("no store 'nope'");
    }

    @Test
    void brokenYamlIsReportedWithTheFile() throws IOException {
        assertThat(invalid("databases: [unclosed\n"))
                .hasMessageContaining("is not valid YAML")
                .hasMessageContaining(dir.resolve("lifeboat.yaml").toString());
    }

    @Test
    void withoutAFileTheLibpqEnvironmentIsTheDefault() {
        ConfigLoader l = new ConfigLoader(Map.of(
                "HOME", dir.toString(),
                "PGHOST", "pg.example",
                "PGPORT", "5433",
                "PGUSER", "alice",
                "PGDATABASE", "Shop_DB",
                "PGPASSWORD", "env-pw-123"));
        LifeboatConfig c = l.load(null);
        assertThat(c.source()).isNull();
        DatabaseConfig d = c.database(null);
        assertThat(d.name()).isEqualTo("shop_db");
        assertThat(d.dbname()).isEqualTo("Shop_DB");
        assertThat(d.host()).isEqualTo("pg.example");
        assertThat(d.port()).isEqualTo(5433);
        assertThat(c.store(null).uri().path())
                .isEqualTo(dir.resolve(".local/share/lifeboat/backups").toString());
        assertThat(new PasswordSources(Map.of("PGPASSWORD", "env-pw-123"))
                        .connect(d)
                        .password()
                        .reveal())
                .isEqualTo("env-pw-123");
    }

    @Test
    void theConfigFileIsFoundThroughTheEnvironment() {
        Path f = appOnly().write("custom.yaml");
        LifeboatConfig c = new ConfigLoader(Map.of("HOME", dir.toString(), "LIFEBOAT_CONFIG", f.toString())).load(null);
        assertThat(c.source()).isEqualTo(f);
        assertThatThrownBy(
                        () -> new ConfigLoader(Map.of("HOME", dir.toString(), "LIFEBOAT_CONFIG", dir + "/missing.yaml"))
                                .load(null))
                .hasMessageContaining("missing.yaml does not exist");
    }

    @Test
    void compressionAndRestoreJobsAreReadPerStoreAndDatabase() {
        LifeboatConfig c = ConfigBuilder.in(dir)
                .database(
                        "app",
                        db -> db.user("backup")
                                .compression("zstd")
                                .compressionLevel(9)
                                .restoreJobs(3))
                .database("other", db -> db.user("backup").store("offsite"))
                .store("local", "file:///var/backups/lifeboat")
                .store("offsite", "file:///var/backups/offsite", s -> s.compression("none"))
                .defaultStore("local")
                .defaultRestoreJobs(6)
                .load(loaderEnv());
        DatabaseConfig app = c.database("app");
        assertThat(app.compression())
                .isEqualTo(new dev.lifeboat.core.compress.CompressionSetting(
                        dev.lifeboat.core.compress.Compression.ZSTD, 9));
        assertThat(c.restoreJobs(app)).isEqualTo(3);
        assertThat(c.restoreJobs(c.database("other"))).isEqualTo(6);
        assertThat(c.database("other").compression()).isNull();
        assertThat(c.store("offsite").compression().method()).isEqualTo(dev.lifeboat.core.compress.Compression.NONE);
        assertThat(c.store("offsite").options()).doesNotContainKey("compression");
        assertThat(c.store("local").compression()).isNull();
    }

    @Test
    void withoutRestoreJobsEveryCoreIsUsed() {
        LifeboatConfig c = appOnly().load(loaderEnv());
        assertThat(c.restoreJobs(c.database("app")))
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void badCompressionAndJobSettingsAreNamed() throws IOException {
        assertThat(invalid("""
                databases:
                  app:
                    user: backup
                    compression: lz4
                    restore_jobs: 0
                  b:
                    user: backup
                    compression: gzip
                    compression_level: 12
                  c:
                    user: backup
                    compression_level: 3
                  d:
                    user: backup
                    compression: none
                    compression_level: 1
                stores:
                  local:
                    uri: file:///var/backups/lifeboat
                    compression: brotli
                defaults:
                  restore_jobs: many
                """))
                .hasMessageContaining("databases.app.compression: 'lz4' must be one of gzip, zstd, none")
                .hasMessageContaining("databases.app.restore_jobs: '0' is not a number of parallel pg_restore jobs")
                .hasMessageContaining("databases.b.compression_level: '12' is not a gzip level (use 1-9)")
                .hasMessageContaining("databases.c.compression_level: set compression")
                .hasMessageContaining("databases.d.compression_level: '1' is not a none level ('none' takes no level)")
                .hasMessageContaining("stores.local.compression: 'brotli' must be one of")
                .hasMessageContaining("defaults.restore_jobs: 'many'");
    }

    @Test
    void directoriesAndSetsLoadAndShareTheDatabaseNamespace() {
        LifeboatConfig c = ConfigBuilder.in(dir)
                .database("api", db -> db.user("backup"))
                .directory("uploads", Path.of("/srv/app/uploads"), d -> d.retention("keep_last", 3))
                .set("cvescan", "api", "uploads")
                .store("local", "file:///var/backups/lifeboat")
                .load(loaderEnv());
        assertThat(c.directory("uploads").path()).isEqualTo(Path.of("/srv/app/uploads"));
        assertThat(c.directory("uploads").retention()).isNotNull();
        assertThat(c.storeFor(c.directory("uploads"), null).name()).isEqualTo("local");
        assertThat(c.set("cvescan").members()).containsExactly("api", "uploads");
    }

    @Test
    void globalsRolesOnASetIsSetOnEachOfItsDatabaseMembers() {
        LifeboatConfig c = ConfigBuilder.in(dir)
                .database("api", db -> db.user("backup"))
                .database("idp", db -> db.user("backup"))
                .database("alone", db -> db.user("backup"))
                .directory("uploads", Path.of("/srv/app/uploads"))
                .store("local", "file:///var/backups/lifeboat")
                .raw("""
                        sets:
                          cvescan:
                            members: [api, idp, uploads]
                            globals: roles
                        """)
                .load(loaderEnv());
        assertThat(c.set("cvescan").keepRoles()).isTrue();
        assertThat(c.database("api").keepRoles()).isTrue();
        assertThat(c.database("idp").keepRoles()).isTrue();
        assertThat(c.database("alone").keepRoles()).isFalse();
    }

    @Test
    void anUnknownGlobalOnASetIsNamed() {
        assertThatThrownBy(() -> ConfigBuilder.in(dir)
                        .database("api", db -> db.user("backup"))
                        .store("local", "file:///var/backups/lifeboat")
                        .raw("""
                                sets:
                                  s:
                                    members: [api]
                                    globals: [roles, tablespaces]
                                """)
                        .load(loaderEnv()))
                .hasMessageContaining("sets.s.globals: 'tablespaces' is not a global this version keeps");
    }

    @Test
    void aDirectoryOnlyConfigIsEnough() {
        LifeboatConfig c = ConfigBuilder.in(dir)
                .directory("logos", Path.of("/srv/logos"))
                .store("local", "file:///var/backups/lifeboat")
                .load(loaderEnv());
        assertThat(c.databases()).isEmpty();
        assertThat(c.directories()).containsOnlyKeys("logos");
    }

    @Test
    void badDirectoriesAndSetsAreEachNamed() throws IOException {
        assertThat(invalid("""
                databases:
                  api:
                    user: backup
                directories:
                  api:
                    path: /srv/api
                  rel:
                    path: uploads
                  nopath:
                    store: local
                  other:
                    path: /srv/other
                    store: nowhere
                    exclude: ["*.tmp"]
                sets:
                  cvescan:
                    members: [api, ghost, api]
                  empty:
                    members: []
                stores:
                  local:
                    uri: file:///var/backups/lifeboat
                """).getMessage())
                .contains(
                        "directories.api: the name 'api' is also a database",
                        "directories.rel.path: 'uploads' must be an absolute path",
                        "directories.nopath.path: required",
                        "directories.other.store: 'nowhere' is not a configured store",
                        "directories.other.exclude: unknown setting",
                        "sets.cvescan.members: 'ghost' is not a configured database or directory",
                        "sets.cvescan.members: 'api' is listed twice",
                        "sets.empty.members: required");
    }

    @Test
    void aDirectorysCompressionAndExcludesAreRead() {
        LifeboatConfig c = ConfigBuilder.in(dir)
                .directory(
                        "logos",
                        Path.of("/srv/logos"),
                        d -> d.compression("gzip").compressionLevel(9).excludes("cache/**", "*.tmp", "./node_modules/"))
                .directory("plain", Path.of("/srv/plain"))
                .store("local", "file:///var/backups/lifeboat")
                .load(loaderEnv());
        assertThat(c.directory("logos").compression())
                .isEqualTo(new dev.lifeboat.core.compress.CompressionSetting(
                        dev.lifeboat.core.compress.Compression.GZIP, 9));
        assertThat(c.directory("logos").excludes()).containsExactly("cache/**", "*.tmp", "./node_modules/");
        assertThat(c.directory("plain").compression()).isNull();
        assertThat(c.directory("plain").excludes()).isEmpty();
    }

    @Test
    void aBadExcludePatternIsNamedWithItsPosition() throws IOException {
        assertThat(invalid("""
                directories:
                  logos:
                    path: /srv/logos
                    compression: zstd
                    compression_level: 30
                    excludes: ["ok/**", "[abc", "/etc/passwd", "../up", "", {a: b}]
                  single:
                    path: /srv/single
                    excludes: "*.tmp"
                stores:
                  local:
                    uri: file:///var/backups/lifeboat
                """).getMessage())
                .contains(
                        "directories.logos.compression_level: '30' is not a zstd level (use 1-19)",
                        "directories.logos.excludes[1]: '[abc': not a valid glob pattern",
                        "directories.logos.excludes[2]: '/etc/passwd': patterns are relative",
                        "directories.logos.excludes[3]: '../up': a pattern must not contain",
                        "directories.logos.excludes[4]: '': a pattern must not be empty",
                        "directories.logos.excludes[5]: must be a glob pattern",
                        "directories.single.excludes: must be a list of glob patterns")
                .doesNotContain("excludes[0]");
    }
}
