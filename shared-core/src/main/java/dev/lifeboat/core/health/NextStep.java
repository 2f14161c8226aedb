package dev.lifeboat.core.health;

/**
 * What to do about a problem, as an act each face spells in its own words: the CLI as a command line,
 * the MCP server as a tool call. {@code why} says it in neutral words (no flag, no tool name).
 *
 * @param action what to do
 * @param source the database or directory it is about
 * @param kind the source's kind, "database" or "directory" (the CLI's option names differ)
 * @param backupId the backup to act on (verify, copy), or null
 * @param store the store to copy to, or null
 * @param why what to check or change first, in words
 */
public record NextStep(Action action, String source, String kind, String backupId, String store, String why) {
    /** The acts a next step can name. */
    public enum Action {
        /** Take a backup now. */
        CREATE_BACKUP,
        /** Fix what made the last backup fail (in {@code why}), then take a backup. */
        FIX_AND_CREATE_BACKUP,
        /** Run a restore drill of the backup ({@code verify --level restore}). */
        VERIFY_RESTORE,
        /** Copy the backup to the store named. */
        COPY_BACKUP,
        /** Configure another store: none besides the ones holding the backup exists. */
        ADD_STORE,
        /** Make the store readable again (credentials, network, the path). */
        FIX_STORE
    }
}
