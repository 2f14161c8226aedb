package dev.lifeboat.core;

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
 */
public record Inventory(
        String configSource,
        List<DatabaseEntry> databases,
        List<StoreEntry> stores,
        String defaultDatabase,
        String defaultStore,
        List<DirectoryEntry> directories,
        List<SetEntry> sets) {

    /** A configured database: where it is and where its password comes from (never the password). */
    public record DatabaseEntry(
            String name, String host, int port, String dbname, String user, String store, String passwordSource) {}

    /** A configured directory and the store its backups go to. */
    public record DirectoryEntry(String name, String path, String store) {}

    /** A configured backup set and its members (database or directory names). */
    public record SetEntry(String name, List<String> members) {}

    /** A configured store and what it can do. */
    public record StoreEntry(String name, String uri) {}
}
