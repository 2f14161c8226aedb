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
 * @param objectiveSettings the objectives ({@code rpo}, {@code drill_every}, {@code copies}) entries
 *     declare; see {@link #objectives}
 * @param notifyTargets where backup outcomes are announced ({@code notify:}), in configuration order
 * @param schedules when to back up what ({@code schedules:}), by name in configuration order
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
        int restoreJobs,
        ObjectiveSettings objectiveSettings,
        java.util.List<NotifyTarget> notifyTargets,
        Map<String, ScheduleConfig> schedules) {

    /** The most parallel pg_restore jobs a config or request may ask for: more only queue for cores and connections. */
    public static final int MAX_RESTORE_JOBS = 64;

    public LifeboatConfig {
        databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
        stores = Collections.unmodifiableMap(new LinkedHashMap<>(stores));
        directories = Collections.unmodifiableMap(new LinkedHashMap<>(directories == null ? Map.of() : directories));
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets == null ? Map.of() : sets));
        objectiveSettings = objectiveSettings == null ? ObjectiveSettings.NONE : objectiveSettings;
        notifyTargets = notifyTargets == null ? java.util.List.of() : java.util.List.copyOf(notifyTargets);
        schedules = Collections.unmodifiableMap(new LinkedHashMap<>(schedules == null ? Map.of() : schedules));
    }

    /**
     * The objectives a database or directory must meet: its own, made stricter by those of every set
     * it is a member of (a set promises its recovery point for each member).
     */
    public Objectives objectives(String source) {
        Objectives o = objectiveSettings.ofSource(source);
        for (SetConfig set : sets.values()) {
            if (set.members().contains(source)) {
                o = o.strictest(objectiveSettings.ofSet(set.name()));
            }
        }
        return o;
    }

    /** The configured directory {@code name}, or NOT_FOUND naming the configured ones. */
    public DirectoryConfig directory(String name) {
        return named(directories, name, "directory", "directories", true);
    }

    /** The configured schedule {@code name}, or NOT_FOUND naming the configured ones. */
    public ScheduleConfig schedule(String name) {
        return named(schedules, name, "schedule", "schedules", true);
    }

    /** The configured set {@code name}, or NOT_FOUND naming the configured ones. */
    public SetConfig set(String name) {
        return named(sets, name, "set", "sets", true);
    }

    /** The store a directory's backups go to when the request names none. */
    public StoreConfig storeFor(DirectoryConfig dir, String requested) {
        return storeFor(dir.store(), requested);
    }

    public DatabaseConfig database(String name) {
        String n = name == null || name.isBlank() ? defaultDatabase : name;
        if (n == null) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "no database named and no default database configured",
                    "name one of: " + String.join(", ", databases.keySet()));
        }
        return named(databases, n, "database", "databases", true);
    }

    public StoreConfig store(String name) {
        return named(stores, name == null || name.isBlank() ? defaultStore : name, "store", "stores", false);
    }

    /** The store a database's backups go to when the request names none. */
    public StoreConfig storeFor(DatabaseConfig db, String requested) {
        return storeFor(db.store(), requested);
    }

    /** The requested store, else the source's own, else the default. */
    private StoreConfig storeFor(String configured, String requested) {
        if (requested != null && !requested.isBlank()) {
            return store(requested);
        }
        return store(configured != null ? configured : defaultStore);
    }

    /**
     * The entry {@code name} of one of the configured maps, or NOT_FOUND naming the configured ones
     * (or, when {@code sayWhere} and there are none, where to add one).
     */
    private <T> T named(Map<String, T> entries, String name, String kind, String section, boolean sayWhere) {
        T found = name == null ? null : entries.get(name);
        if (found == null) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "no " + kind + " '" + name + "' in the configuration",
                    sayWhere && entries.isEmpty()
                            ? "add it under '" + section + ":' in " + describeSource()
                            : "configured " + section + ": " + String.join(", ", entries.keySet()));
        }
        return found;
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
