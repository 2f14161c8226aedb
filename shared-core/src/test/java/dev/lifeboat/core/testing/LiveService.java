package dev.lifeboat.core.testing;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.crypto.AgeIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real {@link BackupService} over a real PostgreSQL, for integration tests: the configuration is
 * made with {@link ConfigBuilder} in the test's own directory, databases are on the {@link PgCluster}
 * with its superuser and the password through {@code password_env} ({@value #PASSWORD_ENV}), local
 * stores and the state directory live under that directory, and the environment the faces get holds
 * {@code HOME} (that directory) and the password.
 *
 * <pre>{@code
 * @TempDir Path dir;
 *
 * String source = SampleData.database(pg, "src", 200);
 * LiveService live = LiveService.over(pg, dir)
 *         .database("app", source, db -> db.countRows("exact"))
 *         .store("local");                                    // a local store in dir/local
 * try (BackupService service = live.open()) { ... }
 * // the same configuration with one thing changed: here the database is down
 * try (BackupService down = live.open(c -> c.database("app", db -> db.port(1)))) { ... }
 * }</pre>
 *
 * <p>What the fixture is given is kept as steps, so every {@link #open}, {@link #load} or
 * {@link #write} builds a fresh file: the shared configuration, then what that call changes
 * ({@link ConfigBuilder} changes an entry named again rather than replacing it). Anything the typed
 * methods do not cover goes through {@link #config}, which hands over the builder itself ({@code sets:},
 * {@code defaults:}, {@code confirm:}, S3 stores, {@link ConfigBuilder#raw} YAML). The caller closes
 * each service it opens.
 */
public final class LiveService {
    /** The variable that holds the cluster's password in {@link #env()}; the databases' {@code password_env}. */
    public static final String PASSWORD_ENV = "LB_TEST_PW";

    private final Path dir;
    private final PgCluster pg;
    private final List<Consumer<ConfigBuilder>> steps = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private AgeIdentity key;
    private int files;

    private LiveService(Path dir, PgCluster pg) {
        this.dir = dir;
        this.pg = pg;
        env.put("HOME", dir.toString());
        if (pg != null) {
            env.put(PASSWORD_ENV, pg.password());
        }
        steps.add(c -> c.stateDir(stateDir()));
    }

    /** A service whose databases are on {@code pg}, with everything else under {@code dir}. */
    public static LiveService over(PgCluster pg, Path dir) {
        return new LiveService(dir, pg);
    }

    /** A service without PostgreSQL (directories only, or a database entry written by hand through {@link #config}). */
    public static LiveService in(Path dir) {
        return new LiveService(dir, null);
    }

    /** A database entry {@code name} for the cluster's database {@code dbname}. */
    public LiveService database(String name, String dbname) {
        return database(name, dbname, db -> {});
    }

    /**
     * A database entry {@code name} for the cluster's database {@code dbname}: host, port, the superuser,
     * {@code sslmode: disable} and {@code password_env}, then what {@code more} sets.
     */
    public LiveService database(String name, String dbname, Consumer<ConfigBuilder.Database> more) {
        Consumer<ConfigBuilder.Database> settings = connection(dbname).andThen(more);
        return config(c -> c.database(name, settings));
    }

    /**
     * How a database entry reaches the cluster's database {@code dbname}: host, port, the superuser,
     * {@code sslmode: disable} and {@code password_env}; for an entry only one configuration has.
     */
    public Consumer<ConfigBuilder.Database> connection(String dbname) {
        if (pg == null) {
            throw new IllegalStateException("LiveService.in(dir) has no cluster: use over(pg, dir)");
        }
        return db -> db.host(pg.host())
                .port(pg.port())
                .dbname(dbname)
                .user(PgCluster.SUPERUSER)
                .sslmode("disable")
                .passwordEnv(PASSWORD_ENV);
    }

    /** A local store {@code name} in {@link #storeDir storeDir(name)}. */
    public LiveService store(String name) {
        return store(name, s -> {});
    }

    /** A local store {@code name} in {@link #storeDir storeDir(name)} with more settings (e.g. {@link #encrypted()}). */
    public LiveService store(String name, Consumer<ConfigBuilder.Store> more) {
        return config(c -> c.store(name, storeDir(name), more));
    }

    /** A directory entry archiving {@code path}. */
    public LiveService directory(String name, Path path) {
        return directory(name, path, d -> {});
    }

    /** A directory entry archiving {@code path}, with more settings. */
    public LiveService directory(String name, Path path, Consumer<ConfigBuilder.Directory> more) {
        return config(c -> c.directory(name, path, more));
    }

    /** Anything else, on the builder itself: sets, defaults, confirm settings, remote stores, raw YAML. */
    public LiveService config(Consumer<ConfigBuilder> step) {
        steps.add(step);
        return this;
    }

    /** One more environment variable (a second password, S3 credentials...). */
    public LiveService env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** More environment variables. */
    public LiveService env(Map<String, String> more) {
        env.putAll(more);
        return this;
    }

    /** The test's directory everything lives under. */
    public Path dir() {
        return dir;
    }

    /** {@code state_dir}: {@code dir/state}. */
    public Path stateDir() {
        return dir.resolve("state");
    }

    /** Where the local store {@code name} keeps its backups: {@code dir/<name>}. */
    public Path storeDir(String name) {
        return dir.resolve(name);
    }

    /** The stored data of {@code backupId} of {@code source} in the local store {@code store}. */
    public Path data(String store, String source, String backupId) {
        return storeDir(store).resolve(source).resolve(backupId).resolve("dump");
    }

    /** The cluster (null for {@link #in}). */
    public PgCluster pg() {
        return pg;
    }

    /** The environment the service and the faces get: HOME, the password and what {@link #env(String, String)} added. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** An age identity made for this test, written on first use to {@link #keyFile()} (0600). */
    public AgeIdentity key() {
        if (key == null) {
            key = AgeIdentity.generate();
            key.writeTo(keyFile());
        }
        return key;
    }

    /** Where {@link #key()} is: {@code dir/backup.key}. */
    public Path keyFile() {
        return dir.resolve("backup.key");
    }

    /** A store's encryption to {@link #key()}, which it also decrypts with. */
    public Consumer<ConfigBuilder.Store> encrypted() {
        return encrypted(keyFile());
    }

    /** A store's encryption to {@link #key()}, decrypting with {@code identityFile} (none when null). */
    public Consumer<ConfigBuilder.Store> encrypted(Path identityFile) {
        List<String> recipients = key().recipients();
        return s -> s.encryption(e -> {
            e.recipients(recipients);
            if (identityFile != null) {
                e.identityFile(identityFile);
            }
        });
    }

    /** The configuration as it is now, with {@code change} applied on top, as a builder in {@link #dir()}. */
    public ConfigBuilder builder(Consumer<ConfigBuilder> change) {
        ConfigBuilder c = ConfigBuilder.in(dir);
        steps.forEach(step -> step.accept(c));
        change.accept(c);
        return c;
    }

    /** Writes the configuration as {@code dir/lifeboat.yaml} (0600); returns its path. */
    public Path write() {
        return write("lifeboat.yaml", c -> {});
    }

    /** Writes the configuration with {@code change} applied as {@code dir/<fileName>} (0600). */
    public Path write(String fileName, Consumer<ConfigBuilder> change) {
        return builder(change).write(fileName);
    }

    /** The configuration loaded as the faces load it. */
    public LifeboatConfig load() {
        return load(c -> {});
    }

    /** The configuration with {@code change} applied, written to a file of its own and loaded. */
    public LifeboatConfig load(Consumer<ConfigBuilder> change) {
        return new ConfigLoader(env).load(write("lifeboat-" + ++files + ".yaml", change));
    }

    /** A service over the configuration. */
    public BackupService open() {
        return open(c -> {});
    }

    /** A service over the configuration with {@code change} applied (another port, password, store...). */
    public BackupService open(Consumer<ConfigBuilder> change) {
        return BackupService.open(load(change), env());
    }

    /** A service over {@code config} (loaded from this fixture) with this fixture's environment. */
    public BackupService open(LifeboatConfig config) {
        return BackupService.open(config, env());
    }
}
