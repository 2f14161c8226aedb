package dev.lifeboat.core.testing;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.backup.CreateBackupRequest;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.secret.PasswordSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The service (and the {@link LifeboatContext} its use cases share) over the test fakes, for fast
 * tests of the use cases' decisions: one {@link FakeDumpEngine} plays every configured database's
 * server, each configured store is a {@link MemoryBackupStore}, and time is a {@link ManualClock}
 * that only moves when the test says so, so retention, ids and token expiry are deterministic.
 *
 * <p>The configuration is written with {@link ConfigBuilder} as a 0600 YAML file and read by
 * {@link ConfigLoader}, as a user's would be, so tests name databases, stores, retention rules and sets
 * without writing YAML and stay independent of the config records' constructors. The state directory (confirmation
 * plans, the audit log, spool files) lives under the test's temporary directory.
 *
 * <pre>{@code
 * try (ServiceOverFakes f = ServiceOverFakes.in(dir).database("app", Map.of("accounts", 3)).build()) {
 *     BackupRecord b = f.backup("app");
 *     new DatabaseRestore(f.context()).restore(...);
 * }
 * }</pre>
 */
public final class ServiceOverFakes implements AutoCloseable {
    /** When the clock starts unless the builder says otherwise: a Monday, 02:00 UTC. */
    public static final Instant START = Instant.parse("2026-03-02T02:00:00Z");

    /** The caller every helper acts as. */
    public static final OperationContext CALLER = OperationContext.of("test", "tester");

    private final LifeboatConfig config;
    private final FakeDumpEngine engine;
    private final Map<String, MemoryBackupStore> stores;
    private final ManualClock clock;
    private final LifeboatContext context;
    private final BackupService service;
    /** The temporary directory this fixture made for itself ({@link #inTempDir}), removed on close; else null. */
    private final Path ownDir;

    private ServiceOverFakes(
            LifeboatConfig config,
            FakeDumpEngine engine,
            Map<String, MemoryBackupStore> stores,
            ManualClock clock,
            Map<String, String> env,
            Path ownDir) {
        this.config = config;
        this.engine = engine;
        this.stores = stores;
        this.clock = clock;
        this.context = new LifeboatContext(
                config,
                db -> engine,
                sc -> {
                    MemoryBackupStore s = stores.get(sc.name());
                    if (s == null) {
                        throw new IllegalStateException("no memory store for " + sc.name());
                    }
                    return s;
                },
                new PasswordSources(env),
                clock);
        this.service = new BackupService(context);
        this.ownDir = ownDir;
    }

    /** A builder writing its config under {@code dir} (a test's temporary directory). */
    public static Builder in(Path dir) {
        return new Builder(dir, false);
    }

    /**
     * A builder writing its config under a temporary directory of its own, removed when the fixture
     * is closed: so a test can build its fixture in a field initializer, without {@code @TempDir} and
     * a {@code @BeforeEach} ({@code @AutoClose private final ServiceOverFakes f = ...}).
     */
    public static Builder inTempDir() {
        try {
            return new Builder(Files.createTempDirectory("lifeboat-fakes-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public BackupService service() {
        return service;
    }

    public LifeboatContext context() {
        return context;
    }

    /**
     * A context of its own (as a separate process or host would have) with this fixture's config,
     * engine and clock, over the store {@code store} gives for each store config.
     */
    public LifeboatContext separateContext(
            java.util.function.Function<dev.lifeboat.core.config.StoreConfig, dev.lifeboat.core.store.BackupStore>
                    store) {
        return new LifeboatContext(config, db -> engine, store, new PasswordSources(Map.of()), clock);
    }

    public LifeboatConfig config() {
        return config;
    }

    public FakeDumpEngine engine() {
        return engine;
    }

    /** The default store, "main". */
    public MemoryBackupStore store() {
        return store("main");
    }

    public MemoryBackupStore store(String name) {
        MemoryBackupStore s = stores.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no store " + name);
        }
        return s;
    }

    public ManualClock clock() {
        return clock;
    }

    /** Moves the clock on. */
    public ServiceOverFakes advance(Duration d) {
        clock.advance(d);
        return this;
    }

    /** A committed backup of {@code database} into its default store, taken now. */
    public BackupRecord backup(String database) {
        return service.create(new CreateBackupRequest(database, null, null, Map.of()), CALLER);
    }

    /** A committed backup of {@code database} into {@code store}, taken now. */
    public BackupRecord backup(String database, String store) {
        return service.create(new CreateBackupRequest(database, store, null, Map.of()), CALLER);
    }

    public Path stateDir() {
        return config.stateDir();
    }

    /** Every audit line written so far, parsed, oldest first. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> audit() {
        Path f = stateDir().resolve("audit.jsonl");
        if (!Files.exists(f)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(f)) {
            List<Map<String, Object>> out = new ArrayList<>();
            lines.filter(l -> !l.isBlank()).forEach(l -> out.add(Json.mapper().readValue(l, LinkedHashMap.class)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last audit line; IllegalStateException when there is none. */
    public Map<String, Object> lastAudit() {
        List<Map<String, Object>> all = audit();
        if (all.isEmpty()) {
            throw new IllegalStateException("no audit line was written");
        }
        return all.get(all.size() - 1);
    }

    /** Files left in the spool directory (restores and drills must remove theirs). */
    public List<Path> spoolFiles() {
        Path spool = stateDir().resolve("spool");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        service.close();
        if (ownDir != null) {
            try (Stream<Path> all = Files.walk(ownDir)) {
                all.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory: what is left is the system's to clean
            }
        }
    }

    /** A clock that stands still until it is moved. */
    public static final class ManualClock extends Clock {
        private volatile Instant now;

        public ManualClock(Instant start) {
            this.now = start;
        }

        public void set(Instant t) {
            now = t;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            if (!ZoneOffset.UTC.equals(zone)) {
                throw new UnsupportedOperationException("a manual clock runs in UTC");
            }
            return this;
        }
    }

    /** What to configure; every database lives on the one fake server unless it names its own host. */
    public static final class Builder {
        private final Path dir;
        private final boolean ownDir;
        private final FakeDumpEngine engine = new FakeDumpEngine();
        private final ConfigBuilder config;
        private final Set<String> databases = new LinkedHashSet<>();
        private final Set<String> stores = new LinkedHashSet<>();
        private Instant start = START;
        private String defaultDatabase;
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(Path dir, boolean ownDir) {
            this.dir = dir;
            this.ownDir = ownDir;
            this.config = ConfigBuilder.in(dir);
            store("main");
        }

        /** A configured database that exists on the fake server with these tables (name to rows). */
        public Builder database(String name, Map<String, Integer> tables) {
            engine.database(name, tables);
            return configuredDatabase(name);
        }

        /** A configured database the fake server does not hold (a backup of it fails with NOT_FOUND). */
        public Builder configuredDatabase(String name) {
            databases.add(name);
            config.database(name, db -> db.host("db.test").user("lifeboat"));
            return this;
        }

        /** Sets one of a configured database's settings as YAML would say it (e.g. "host", "db2.test"). */
        public Builder databaseSetting(String database, String key, String value) {
            config.database(requireDatabase(database), db -> db.set(key, value));
            return this;
        }

        /** A database's retention rules, e.g. {@code Map.of("keep_daily", 2)}. */
        public Builder retention(String database, Map<String, ?> rules) {
            config.database(requireDatabase(database), db -> rules.forEach(db::retention));
            return this;
        }

        /** The database a drill of {@code database}'s backups runs on. */
        public Builder drillTarget(String database, String target) {
            config.database(requireDatabase(database), db -> db.drillTarget(target));
            return this;
        }

        /** Another store beside "main" (which is the default store). */
        public Builder store(String name) {
            return store(name, s -> {});
        }

        /** A store's retention rules, for databases without their own. */
        public Builder storeRetention(String store, Map<String, ?> rules) {
            return store(store, s -> rules.forEach(s::retention));
        }

        private Builder store(String name, Consumer<ConfigBuilder.Store> settings) {
            stores.add(name);
            // the URI is never opened: the context's store opener hands out the memory store
            config.store(name, dir.resolve("unused-store-" + name), settings);
            return this;
        }

        /** A backup set of configured databases (or directories). */
        public Builder set(String name, String... members) {
            config.set(name, members);
            return this;
        }

        /** An environment variable the service sees (a notification's secret, say). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** YAML merged over the configuration, for settings without a helper (e.g. a set's {@code rpo}). */
        public Builder raw(String yaml) {
            config.raw(yaml);
            return this;
        }

        /** Destructive plans need an operator's approval as well as their token. */
        public Builder operatorApproval() {
            config.approval("operator");
            return this;
        }

        /** The database a request that names none backs up (default: the first configured). */
        public Builder defaultDatabase(String name) {
            defaultDatabase = name;
            return this;
        }

        public Builder startingAt(Instant t) {
            start = t;
            return this;
        }

        public ServiceOverFakes build() {
            env.put("HOME", dir.toString());
            ManualClock clock = new ManualClock(start);
            Map<String, MemoryBackupStore> memory = new LinkedHashMap<>();
            stores.forEach(n -> memory.put(n, new MemoryBackupStore(n, clock)));
            config.defaultStore("main").stateDir(dir.resolve("state"));
            String db = defaultDatabase != null
                    ? defaultDatabase
                    : databases.isEmpty() ? null : databases.iterator().next();
            if (db != null) {
                config.defaultDatabase(db);
            }
            return new ServiceOverFakes(config.load(env), engine, memory, clock, env, ownDir ? dir : null);
        }

        private String requireDatabase(String name) {
            if (!databases.contains(name)) {
                throw new IllegalArgumentException("configure database " + name + " first");
            }
            return name;
        }
    }
}
