package dev.lifeboat.core.config;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.retention.RetentionPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Settings that several sections share, read the same way wherever they appear: {@code retention}
 * (stores, databases, directories), {@code compression} and {@code compression_level} (the same),
 * {@code restore_jobs} (databases, defaults), {@code store} (databases, directories) and the
 * objectives {@code rpo}, {@code drill_every}, {@code copies} (databases, directories, sets).
 */
final class SharedSettings {
    private SharedSettings() {}

    /** A {@code retention:} mapping (keep_last, keep_daily, ..., keep_within), or null when absent. */
    static RetentionPolicy retention(ConfigNode node) {
        ConfigNode rules = node.section("retention", "must be a mapping of rules such as keep_last: 7, keep_daily: 14");
        if (rules == null) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : rules.entries()) {
            values.put(
                    e.getKey(),
                    e.getValue().isContainer()
                            ? e.getValue().toString()
                            : e.getValue().asString());
        }
        try {
            return RetentionPolicy.fromMap(values, rules.path());
        } catch (LifeboatException e) {
            node.problems().add(e.getMessage());
            return null;
        }
    }

    /**
     * The {@code compression} (and optional {@code compression_level}) of a store, database or
     * directory, or null when it names none. A level belongs to the method beside it, so it is
     * checked against that method's range here, up front.
     */
    static CompressionSetting compression(ConfigNode node) {
        String name = node.string("compression");
        JsonNode levelNode = node.get("compression_level");
        if (name == null) {
            if (levelNode != null) {
                node.problem(
                        "compression_level", "set compression (gzip or zstd) beside it; a level belongs to a method");
            }
            return null;
        }
        Optional<Compression> method = Compression.find(name);
        if (method.isEmpty()) {
            node.problem("compression", "'" + name + "' must be one of " + Compression.names());
            return null;
        }
        if (levelNode == null) {
            return new CompressionSetting(method.get(), -1);
        }
        Compression m = method.get();
        if (!levelNode.isIntegralNumber() || !m.acceptsLevel(levelNode.asInt())) {
            node.problem(
                    "compression_level",
                    "'" + levelNode.asString() + "' is not a " + m.id() + " level ("
                            + (m == Compression.NONE ? "'none' takes no level" : "use " + m.levelRange()) + ")");
            return null;
        }
        return new CompressionSetting(m, levelNode.asInt());
    }

    /** A {@code restore_jobs} value (1 to {@link LifeboatConfig#MAX_RESTORE_JOBS}), or 0 when absent or bad. */
    static int restoreJobs(ConfigNode node) {
        Integer jobs = node.integer(
                "restore_jobs",
                1,
                LifeboatConfig.MAX_RESTORE_JOBS,
                "is not a number of parallel pg_restore jobs (1-" + LifeboatConfig.MAX_RESTORE_JOBS
                        + "; omit it to use one per core)");
        return jobs == null ? 0 : jobs;
    }

    /** The objective keys an entry of databases, directories and sets may carry. */
    static final java.util.Set<String> OBJECTIVE_KEYS = java.util.Set.of("rpo", "drill_every", "copies");

    /** The most copies an objective may ask for: more stores than anyone configures. */
    static final int MAX_COPIES = 16;

    /**
     * An entry's {@code rpo}, {@code drill_every} and {@code copies}, or {@link Objectives#NONE};
     * each must be a positive duration (or number of stores), checked here so a typo names itself.
     */
    static Objectives objectives(ConfigNode node) {
        Duration rpo = positiveDuration(node, "rpo", "the newest backup must be younger than this: use e.g. 26h or 2d");
        Duration drillEvery =
                positiveDuration(node, "drill_every", "a restore drill must pass at least this often: use e.g. 7d");
        Integer copies = node.integer(
                "copies",
                1,
                MAX_COPIES,
                "is not a number of stores (1-" + MAX_COPIES + ") that must hold the newest backup");
        return new Objectives(rpo, drillEvery, copies == null ? 0 : copies);
    }

    private static Duration positiveDuration(ConfigNode node, String key, String use) {
        return node.duration(key, null, d -> !d.isZero(), "is not a positive duration (" + use + ")");
    }

    /** The {@code store} an entry's backups go to, or null; it must be a configured store. */
    static String store(ConfigNode node, Map<String, StoreConfig> stores) {
        String store = node.string("store");
        if (store != null && !stores.containsKey(store)) {
            node.problem(
                    "store",
                    "'" + store + "' is not a configured store (configured: " + String.join(", ", stores.keySet())
                            + ")");
        }
        return store;
    }
}
