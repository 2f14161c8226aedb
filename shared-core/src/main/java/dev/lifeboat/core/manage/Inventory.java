package dev.lifeboat.core.manage;

import java.util.List;

/**
 * What is configured, without secrets.
 *
 * @param configSource the config file, or "embedded defaults"
 * @param databases the databases
 * @param stores the stores
 * @param defaultDatabase the default database name, or null
 * @param defaultStore the default store name, or null
 * @param directories the directories (a second source kind)
 * @param sets the backup sets
 * @param objectives the entries that declare objectives (rpo, drill_every, copies), as declared
 * @param notifyTargets the notification targets, their URLs redacted
 */
public record Inventory(
        String configSource,
        List<DatabaseEntry> databases,
        List<StoreEntry> stores,
        String defaultDatabase,
        String defaultStore,
        List<DirectoryEntry> directories,
        List<SetEntry> sets,
        List<ObjectiveEntry> objectives,
        List<NotifyEntry> notifyTargets) {

    /**
     * A configured database: where it is and where its password comes from (never the password), and
     * the settings its backups and restores use.
     *
     * @param compression the method its backups use unless a request names one
     * @param compressionLevel the level, or null for the method's default
     * @param compressionSource where that comes from: "database", "store '<name>'" or "default"
     * @param restoreJobs pg_restore's parallel jobs for a restore into a new database
     * @param restoreJobsSource "database", "defaults.restore_jobs" or "one per core"
     */
    public record DatabaseEntry(
            String name,
            String host,
            int port,
            String dbname,
            String user,
            String store,
            String passwordSource,
            String compression,
            Integer compressionLevel,
            String compressionSource,
            int restoreJobs,
            String restoreJobsSource) {}

    /**
     * A configured directory, the store its backups go to, and how they are compressed.
     *
     * @param compressionSource "directory", "store '<name>'" or "default"
     * @param excludes its exclude patterns
     */
    public record DirectoryEntry(
            String name,
            String path,
            String store,
            String compression,
            Integer compressionLevel,
            String compressionSource,
            List<String> excludes) {}

    /**
     * What one database, directory or set promises (null: not declared).
     *
     * @param kind "database", "directory" or "set"
     */
    public record ObjectiveEntry(String name, String kind, String rpo, String drillEvery, Integer copies) {}

    /**
     * A notification target.
     *
     * @param kind "webhook" or "ping"
     * @param url its URL with the path and query masked (where tokens live)
     * @param events what a webhook is sent (a ping gets every run)
     * @param secretEnv the variable a webhook's signing key comes from, or null (unsigned)
     */
    public record NotifyEntry(String name, String kind, String url, List<String> events, String secretEnv) {}

    /** A configured backup set and its members (database or directory names). */
    public record SetEntry(String name, List<String> members) {}

    /**
     * A configured store.
     *
     * @param compression its own compression setting, or null when it sets none (then a database's
     *     default is gzip and a directory's zstd)
     * @param compressionLevel its compression_level, or null
     */
    public record StoreEntry(String name, String uri, String compression, Integer compressionLevel) {}
}
