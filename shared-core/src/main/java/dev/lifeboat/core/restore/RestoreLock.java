package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import java.util.List;

/**
 * The one-restore-per-target rule: replace and undo hold the server-wide lock named by the target's
 * {@link ReplaceNames#prefix() prefix} (which is also how a shadow names its target, so gc can tell a
 * live shadow from a leftover one), and a second restore into the same database is refused at once.
 */
final class RestoreLock {
    private RestoreLock() {}

    /** The lock for restores into {@code target}'s database; BUSY when another restore holds it. */
    static Databases.Lock take(Databases databases, ConnectionSpec target) {
        return databases
                .tryLock(target, name(target.dbname()))
                .orElseThrow(() -> new LifeboatException(
                        ErrorCode.BUSY,
                        "another restore into '" + target.dbname() + "' on " + target.host() + ":" + target.port()
                                + " is running; nothing was changed",
                        "wait for it to finish, then run this one again if it is still wanted"));
    }

    /** The lock's name for restores into {@code dbname}. */
    static String name(String dbname) {
        return new ReplaceNames(dbname).prefix();
    }

    /**
     * A restore killed inside its swap leaves its target refusing connections (the swap stops them
     * before it renames) and its shadow beside it. Seeing both, the next restore lets connections in
     * again before it carries the target's settings over, and says so.
     */
    static Databases.DatabaseProfile reopenAfterKilledSwap(
            Databases databases, ConnectionSpec target, Databases.DatabaseProfile profile, List<String> notes) {
        databases.allowConnections(target, true);
        notes.add("'" + target.dbname() + "' refused connections, as a restore killed during its swap leaves it;"
                + " connections are allowed again");
        return profile.allowingConnections(true);
    }
}
