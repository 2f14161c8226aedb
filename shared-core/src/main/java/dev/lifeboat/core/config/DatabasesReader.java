package dev.lifeboat.core.config;

import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.retention.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * {@code databases:}: where each database is, who logs in and where the password comes from (never
 * the password itself), and how its backups are made, kept and restored.
 */
final class DatabasesReader {
    private static final Set<String> KEYS = Set.of(
            "host",
            "port",
            "dbname",
            "user",
            "sslmode",
            "password_env",
            "password_file",
            "passfile",
            "count_rows",
            "store",
            "pg_bin_dir",
            "drill_target",
            "retention",
            "compression",
            "compression_level",
            "restore_jobs",
            "keep_previous",
            "restore_lock_timeout",
            "globals",
            "rpo",
            "drill_every",
            "copies",
            "password"); // refused with its own message, not as unknown
    private static final Set<String> SSLMODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private DatabasesReader() {}

    /**
     * The configured databases by name; an entry with any problem is left out (and reported). At
     * least one database or directory must be configured.
     */
    static Map<String, DatabaseConfig> read(
            ConfigNode top, Map<String, StoreConfig> stores, Map<String, Objectives> objectives) {
        Map<String, DatabaseConfig> databases = new LinkedHashMap<>();
        JsonNode dbs = top.get("databases");
        if (dbs == null || (dbs.isObject() && dbs.isEmpty())) {
            if (top.namesUnder("directories").isEmpty()) {
                top.problem("databases", "at least one database (or a directory under 'directories:') is required");
            }
            return databases;
        }
        ConfigNode section = top.section("databases", "must be a mapping of database names to settings");
        if (section != null) {
            databases.putAll(section.readEntries(
                    (name, value) -> database(section, name, value, stores, objectives), DatabaseConfig::name));
        }
        return databases;
    }

    private static DatabaseConfig database(
            ConfigNode section,
            String name,
            JsonNode value,
            Map<String, StoreConfig> stores,
            Map<String, Objectives> objectives) {
        ConfigNode node = section.entry(name, value, "database", true, "must be a mapping with host, dbname, user...");
        if (node == null) {
            return null;
        }
        int before = node.problems().size();
        if (node.mentions("password")) {
            node.problems()
                    .add(node.at("password") + " is not allowed: no inline passwords; use password_env (an environment "
                            + "variable), password_file (a 0600 file) or passfile (a libpq .pgpass file)");
        }
        node.allowOnly(KEYS);
        Objectives promised = SharedSettings.objectives(node);
        String host = Objects.requireNonNullElse(node.string("host"), "localhost");
        Integer port = node.integer("port", 1, 65535, "is not a port number (1-65535)");
        String dbname = Objects.requireNonNullElse(node.string("dbname"), name);
        String user = node.required("user", "the role pg_dump logs in as");
        String sslmode = node.choice(
                "sslmode", s -> SSLMODES.contains(s) ? s : null, "must be one of " + new TreeSet<>(SSLMODES));
        String passwordEnv = node.string("password_env");
        node.requireEnvName("password_env", passwordEnv);
        Path passwordFile = node.path("password_file");
        Path passfile = node.path("passfile");
        int sources = (passwordEnv != null ? 1 : 0) + (passwordFile != null ? 1 : 0) + (passfile != null ? 1 : 0);
        if (sources > 1) {
            node.problem("set only one of password_env, password_file and passfile");
        }
        node.requireOwnerOnlyFile("password_file", passwordFile);
        node.requireOwnerOnlyFile("passfile", passfile);
        RowCounts rowCounts = node.choice("count_rows", RowCounts.class, "must be 'estimate' or 'exact'");
        String store = SharedSettings.store(node, stores);
        Path pgBinDir = node.path("pg_bin_dir");
        if (pgBinDir != null && !Files.isDirectory(pgBinDir)) {
            node.problem("pg_bin_dir", pgBinDir + " is not a directory");
        }
        String drillTarget = node.string("drill_target");
        RetentionPolicy retention = SharedSettings.retention(node);
        CompressionSetting compression = SharedSettings.compression(node);
        int restoreJobs = SharedSettings.restoreJobs(node);
        Duration keepPrevious = keepPrevious(node);
        Duration lockTimeout = lockTimeout(node);
        boolean keepRoles = globals(node);
        if (node.problems().size() > before) {
            return null;
        }
        objectives.put(name, promised);
        return DatabaseConfig.builder()
                .name(name)
                .host(host)
                .port(port == null ? 5432 : port)
                .dbname(dbname)
                .user(user)
                .sslmode(sslmode)
                .passwordEnv(passwordEnv)
                .passwordFile(passwordFile)
                .passfile(passfile)
                .rowCounts(rowCounts == null ? RowCounts.ESTIMATE : rowCounts)
                .store(store)
                .pgBinDir(pgBinDir)
                .drillTarget(drillTarget)
                .retention(retention)
                .compression(compression)
                .restoreJobs(restoreJobs)
                .keepPrevious(keepPrevious)
                .restoreLockTimeout(lockTimeout)
                .keepRoles(keepRoles)
                .build();
    }

    /** {@code globals: roles} (or a list holding it; empty or absent: none): whether backups keep roles. */
    static boolean globals(ConfigNode node) {
        JsonNode v = node.get("globals");
        if (v == null || v.isNull()) {
            return false;
        }
        List<String> items = new java.util.ArrayList<>();
        if (v.isString()) {
            items.add(v.asString());
        } else if (v.isArray()) {
            v.forEach(x -> items.add(x.isString() ? x.asString() : String.valueOf(x)));
        } else {
            items.add(String.valueOf(v));
        }
        for (String item : items) {
            if (!item.equals("roles")) {
                node.problem(
                        "globals",
                        "'" + item + "' is not a global this version keeps; the one there is: roles (the cluster roles"
                                + " the database's objects need, without passwords)");
            }
        }
        return items.contains("roles");
    }

    /** {@code restore_lock_timeout}: a positive duration; 30s when absent. */
    private static Duration lockTimeout(ConfigNode node) {
        return node.duration(
                "restore_lock_timeout",
                DatabaseConfig.DEFAULT_RESTORE_LOCK_TIMEOUT,
                d -> !d.isZero(),
                "is not a positive duration: use e.g. 30s or 2m (how long a clean restore waits for a lock the"
                        + " application holds)");
    }

    /** {@code keep_previous}: a duration (24h, 7d), or 0 to keep no previous copy; a day when absent. */
    private static Duration keepPrevious(ConfigNode node) {
        String text = node.string("keep_previous");
        if (text == null) {
            return DatabaseConfig.DEFAULT_KEEP_PREVIOUS;
        }
        if (text.trim().equals("0")) {
            return Duration.ZERO;
        }
        Duration d = Durations.parse(text);
        if (d == null || d.isNegative()) {
            node.problem(
                    "keep_previous",
                    "'" + text + "' is not a duration: use e.g. 24h or 7d, or 0 to keep no previous copy after a"
                            + " restore replaces the database");
            return null;
        }
        return d;
    }
}
