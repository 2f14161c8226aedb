package dev.lifeboat.core.config;

import java.util.Map;
import java.util.Set;

/**
 * {@code defaults:}: the database and store a request that names none uses, and pg_restore's jobs
 * for databases that set none. With one database or one store configured, it is the default.
 */
final class DefaultsReader {
    /**
     * @param database the default database, or null
     * @param store the default store, or null
     * @param restoreJobs {@code defaults.restore_jobs}, or 0
     */
    record Defaults(String database, String store, int restoreJobs) {}

    private DefaultsReader() {}

    static Defaults read(
            ConfigNode top,
            Map<String, DatabaseConfig> databases,
            Map<String, DirectoryConfig> directories,
            Map<String, StoreConfig> stores) {
        String defaultDatabase =
                databases.size() == 1 ? databases.keySet().iterator().next() : null;
        String defaultStore = stores.size() == 1 ? stores.keySet().iterator().next() : null;
        int restoreJobs = 0;
        ConfigNode node = top.section("defaults", "must be a mapping with 'database', 'store' and/or 'restore_jobs'");
        if (node != null) {
            node.allowOnly(Set.of("database", "store", "restore_jobs"));
            restoreJobs = SharedSettings.restoreJobs(node);
            String d = node.string("database");
            if (d != null) {
                // a database declared with a bad entry is reported there, not again here
                if (top.isMapping("databases") && !top.namesUnder("databases").contains(d)) {
                    node.problem("database", "'" + d + "' is not a configured database");
                }
                defaultDatabase = d;
            }
            String s = node.string("store");
            if (s != null) {
                if (!stores.containsKey(s)) {
                    node.problem("store", "'" + s + "' is not a configured store");
                }
                defaultStore = s;
            }
        }
        if (defaultStore == null && stores.size() > 1) {
            // a database or directory without its own store needs a default
            for (DatabaseConfig d : databases.values()) {
                if (d.store() == null) {
                    top.problem(
                            "databases." + d.name() + ".store",
                            "several stores are configured; name one here or set defaults.store");
                }
            }
            for (DirectoryConfig d : directories.values()) {
                if (d.store() == null) {
                    top.problem(
                            "directories." + d.name() + ".store",
                            "several stores are configured; name one here or set defaults.store");
                }
            }
        }
        return new Defaults(defaultDatabase, defaultStore, restoreJobs);
    }
}
