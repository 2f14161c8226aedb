package dev.lifeboat.core.restore;

/**
 * Undo the last restore that replaced a database.
 *
 * @param database the configured database whose server holds it
 * @param targetDbname the database name on that server, or null for the configured database's own
 * @param confirmToken the token from the plan; without one the answer is the plan
 */
public record UndoRequest(String database, String targetDbname, String confirmToken) {
    public UndoRequest withToken(String token) {
        return new UndoRequest(database, targetDbname, token);
    }
}
