package dev.lifeboat.core.config;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated configuration: databases, stores and the rules around them. Built by
 * {@link ConfigLoader}; every instance is complete and consistent (defaults name existing entries).
 *
 * @param source the file it was read from, or null for the embedded defaults
 * @param databases configured databases by name
 * @param stores configured stores by name
 * @param defaultDatabase the database used when a request names none
 * @param defaultStore the store used when a request and its database name none
 * @param stateDir where confirmation keys, plans and the audit log live
 * @param tokenTtl how long a confirmation token stays valid
 * @param approval who must approve destructive operations
 * @param directories configured directories by name (names never clash with databases)
 * @param sets configured backup sets by name
 * @param restoreJobs pg_restore's parallel jobs for databases that set none, or 0 for the number of
 *     available cores
 */
public record LifeboatConfig(
        Path source,
        Map<String, DatabaseConfig> databases,
        Map<String, StoreConfig> stores,
        String defaultDatabase,
        String defaultStore,
        Path stateDir,
        Duration tokenTtl,
        ApprovalMode approval,
        Map<String, DirectoryConfig> directories,
        Map<String, SetConfig> sets,
        int restoreJobs) {

    /** The most parallel pg_restore jobs a config or request may ask for: more only queue for cores and connections. */
    public static final int MAX_RESTORE_JOBS = 64;

    public LifeboatConfig {
        databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
        stores = Collections.unmodifiableMap(new LinkedHashMap<>(stores));
        directories = Collections.unmodifiableMap(new LinkedHashMap<>(directories == null ? Map.of() : directories));
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets == null ? Map.of() : sets));
    }

    /** A configuration with databases only. */
    public LifeboatConfig(
            Path source,
            Map<String, DatabaseConfig> databases,
            Map<String, StoreConfig> stores,
            String defaultDatabase,
            String defaultStore,
            Path stateDir,
            Duration tokenTtl,
            ApprovalMode approval) {
        this(
                source,
                databases,
                stores,
                defaultDatabase,
                defaultStore,
                stateDir,
                tokenTtl,
                approval,
                Map.of(),
                Map.of(),
                0);
    }

    /** The configured directory {@code name}, or NOT_FOUND naming the configured ones. */
    public DirectoryConfig directory(String name) {
        DirectoryConfig d = directories.get(name);
        if (d == null) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "no directory '" + name + "' in the configuration",
                    directories.isEmpty()
                            ? "add it under 'directories:' in " + describeSource()
                            : "configured directories: " + String.join(", ", directories.keySet()));
        }
        return d;
    }

    /** The configured set {@code name}, or NOT_FOUND naming the configured ones. */
    public SetConfig set(String name) {
        SetConfig s = name == null ? null : sets.get(name);
        if (s == null) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "no set '" + name + "' in the configuration",
                    sets.isEmpty()
                            ? "add it under 'sets:' in " + describeSource()
                            : "configured sets: " + String.join(", ", sets.keySet()));
        }
        return s;
    }

    /** The store a directory's backups go to when the request names none. */
    public StoreConfig storeFor(DirectoryConfig dir, String requested) {
        if (requested != null && !requested.isBlank()) {
            return store(requested);
        }
        return store(dir.store() != null ? dir.store() : defaultStore);
    }

    public DatabaseConfig database(String name) {
        String n = name == null || name.isBlank() ? defaultDatabase : name;
        if (n == null) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "no database named and no default database configured",
                    "name one of: " + String.join(", ", databases.keySet()));
        }
        DatabaseConfig d = databases.get(n);
        if (d == null) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "no database '" + n + "' in the configuration",
                    databases.isEmpty()
                            ? "add it under 'databases:' in " + describeSource()
                            : "configured databases: " + String.join(", ", databases.keySet()));
        }
        return d;
    }

    public StoreConfig store(String name) {
        String n = name == null || name.isBlank() ? defaultStore : name;
        StoreConfig s = n == null ? null : stores.get(n);
        if (s == null) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "no store '" + n + "' in the configuration",
                    "configured stores: " + String.join(", ", stores.keySet()));
        }
        return s;
    }

    /** The store a database's backups go to when the request names none. */
    public StoreConfig storeFor(DatabaseConfig db, String requested) {
        if (requested != null && !requested.isBlank()) {
            return store(requested);
        }
        return store(db.store() != null ? db.store() : defaultStore);
    }

    /**
     * How many parallel jobs pg_restore runs when restoring into a new database on {@code target}'s
     * server: the database's {@code restore_jobs}, else {@code defaults.restore_jobs}, else the number
     * of available cores.
     */
    public int restoreJobs(DatabaseConfig target) {
        if (target != null && target.restoreJobs() > 0) {
            return target.restoreJobs();
        }
        return restoreJobs > 0 ? restoreJobs : Runtime.getRuntime().availableProcessors();
    }

    public String describeSource() {
        return source == null ? "the embedded defaults (no config file)" : source.toString();
    }
}
