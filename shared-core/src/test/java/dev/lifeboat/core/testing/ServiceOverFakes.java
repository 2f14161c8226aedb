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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The service (and the {@link LifeboatContext} its use cases share) over the test fakes, for fast
 * tests of the use cases' decisions: one {@link FakeDumpEngine} plays every configured database's
 * server, each configured store is a {@link MemoryBackupStore}, and time is a {@link ManualClock}
 * that only moves when the test says so, so retention, ids and token expiry are deterministic.
 *
 * <p>The configuration is written as a small 0600 YAML file and read by {@link ConfigLoader}, as a
 * user's would be, so tests name databases, stores, retention rules and sets without writing YAML
 * and stay independent of the config records' constructors. The state directory (confirmation
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

    private ServiceOverFakes(
            LifeboatConfig config,
            FakeDumpEngine engine,
            Map<String, MemoryBackupStore> stores,
            ManualClock clock,
            Map<String, String> env) {
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
    }

    /** A builder writing its config under {@code dir} (a test's temporary directory). */
    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    public BackupService service() {
        return service;
    }

    public LifeboatContext context() {
        return context;
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
        private final FakeDumpEngine engine = new FakeDumpEngine();
        private final Map<String, Map<String, String>> databases = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> stores = new LinkedHashMap<>();
        private final Map<String, List<String>> sets = new LinkedHashMap<>();
        private Instant start = START;
        private String approval;
        private String defaultDatabase;

        private Builder(Path dir) {
            this.dir = dir;
            stores.put("main", new LinkedHashMap<>());
        }

        /** A configured database that exists on the fake server with these tables (name to rows). */
        public Builder database(String name, Map<String, Integer> tables) {
            engine.database(name, tables);
            return configuredDatabase(name);
        }

        /** A configured database the fake server does not hold (a backup of it fails with NOT_FOUND). */
        public Builder configuredDatabase(String name) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("host", "db.test");
            settings.put("user", "lifeboat");
            databases.put(name, settings);
            return this;
        }

        /** Sets one of a configured database's settings as YAML would say it (e.g. "host", "db2.test"). */
        public Builder databaseSetting(String database, String key, String value) {
            requireDatabase(database).put(key, value);
            return this;
        }

        /** A database's retention rules, e.g. {@code Map.of("keep_daily", 2)}. */
        public Builder retention(String database, Map<String, ?> rules) {
            requireDatabase(database).put("retention", flow(rules));
            return this;
        }

        /** The database a drill of {@code database}'s backups runs on. */
        public Builder drillTarget(String database, String target) {
            requireDatabase(database).put("drill_target", target);
            return this;
        }

        /** Another store beside "main" (which is the default store). */
        public Builder store(String name) {
            stores.putIfAbsent(name, new LinkedHashMap<>());
            return this;
        }

        /** A store's retention rules, for databases without their own. */
        public Builder storeRetention(String store, Map<String, ?> rules) {
            stores.computeIfAbsent(store, k -> new LinkedHashMap<>()).put("retention", flow(rules));
            return this;
        }

        /** A backup set of configured databases (or directories). */
        public Builder set(String name, String... members) {
            sets.put(name, List.of(members));
            return this;
        }

        /** Destructive plans need an operator's approval as well as their token. */
        public Builder operatorApproval() {
            approval = "operator";
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
            Map<String, String> env = Map.of("HOME", dir.toString());
            ManualClock clock = new ManualClock(start);
            Map<String, MemoryBackupStore> memory = new LinkedHashMap<>();
            stores.keySet().forEach(n -> memory.put(n, new MemoryBackupStore(n, clock)));
            try {
                Files.createDirectories(dir);
                Path f = dir.resolve("lifeboat.yaml");
                Files.writeString(f, yaml());
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                LifeboatConfig config = new ConfigLoader(env).load(f);
                return new ServiceOverFakes(config, engine, memory, clock, env);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String yaml() {
            StringBuilder y = new StringBuilder();
            if (!databases.isEmpty()) {
                y.append("databases:\n");
                databases.forEach((name, settings) -> {
                    y.append("  ").append(name).append(":\n");
                    settings.forEach((k, v) ->
                            y.append("    ").append(k).append(": ").append(v).append('\n'));
                });
            }
            y.append("stores:\n");
            stores.forEach((name, settings) -> {
                // the URI is never opened: the context's store opener hands out the memory store
                y.append("  ").append(name).append(":\n");
                y.append("    uri: ")
                        .append(dir.resolve("unused-store-" + name).toUri())
                        .append('\n');
                settings.forEach((k, v) ->
                        y.append("    ").append(k).append(": ").append(v).append('\n'));
            });
            if (!sets.isEmpty()) {
                y.append("sets:\n");
                sets.forEach((name, members) -> y.append("  ")
                        .append(name)
                        .append(":\n    members: [")
                        .append(String.join(", ", members))
                        .append("]\n"));
            }
            y.append("defaults:\n  store: main\n");
            String db = defaultDatabase != null
                    ? defaultDatabase
                    : databases.isEmpty() ? null : databases.keySet().iterator().next();
            if (db != null) {
                y.append("  database: ").append(db).append('\n');
            }
            y.append("state_dir: ").append(dir.resolve("state")).append('\n');
            if (approval != null) {
                y.append("confirm:\n  approval: ").append(approval).append('\n');
            }
            return y.toString();
        }

        private Map<String, String> requireDatabase(String name) {
            Map<String, String> s = databases.get(name);
            if (s == null) {
                throw new IllegalArgumentException("configure database " + name + " first");
            }
            return s;
        }

        private static String flow(Map<String, ?> rules) {
            StringBuilder s = new StringBuilder("{");
            rules.forEach((k, v) ->
                    s.append(s.length() > 1 ? ", " : "").append(k).append(": ").append(v));
            return s.append('}').toString();
        }
    }
}
