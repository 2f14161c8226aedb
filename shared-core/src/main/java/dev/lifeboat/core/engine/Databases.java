package dev.lifeboat.core.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whole databases on a server, as a restore that replaces one (and its undo) handles them: what a
 * database is apart from its contents, who is connected, and the steps of a swap. Every method
 * connects as the given spec's login to the server's maintenance database; a failure is a {@link
 * dev.lifeboat.core.base.LifeboatException} naming the database and what was refused.
 */
public interface Databases {

    /** What {@code db} is outside its dump (owner, encoding, settings, grants...), or empty if it does not exist. */
    Optional<DatabaseProfile> profile(ConnectionSpec db);

    /**
     * The sessions connected to {@code db} now, other than Lifeboat's own; one whose client has just
     * disconnected (its server process still exiting) is not one.
     */
    List<Session> sessions(ConnectionSpec db);

    /** What {@code db}'s login may do with it: create databases, rename and drop {@code db}. */
    Rights rights(ConnectionSpec db);

    /** The names of the databases on {@code server}'s server that start with {@code prefix}, sorted. */
    List<String> namesStartingWith(ConnectionSpec server, String prefix);

    /**
     * Creates the empty database {@code db.dbname()} from template0 with {@code like}'s owner, encoding,
     * collation, ctype and tablespace; ALREADY_EXISTS if it exists.
     */
    void createLike(ConnectionSpec db, DatabaseProfile like);

    /**
     * Gives {@code db} what {@code from} has outside its dump: database-level settings (also per role),
     * grants on the database, comment and connection limit.
     */
    void carryOver(DatabaseProfile from, ConnectionSpec db);

    /**
     * Puts {@code incoming} in {@code target.dbname()}'s place: stops new connections to the target,
     * ends its sessions (waiting at most {@code grace} for them to go), then in one transaction renames
     * the target to {@code keptAs} and {@code incoming} to the target's name. If anything fails the names
     * are as before and the target accepts connections again. The kept database accepts connections
     * afterwards, so it can be inspected.
     *
     * @return the sessions that were ended
     */
    List<Session> swap(ConnectionSpec target, String incoming, String keptAs, Duration grace);

    /**
     * Takes the server-wide lock called {@code name} (a restore's target, a drill's scratch database)
     * and holds it until closed; empty at once when another process or operation holds it. The lock
     * goes with its connection, so a killed process never leaves it held, and a database whose lock
     * is free is not being written by anyone.
     */
    Optional<Lock> tryLock(ConnectionSpec server, String name);

    /** A held server-wide lock; releasing it cannot fail (a lost connection has released it already). */
    interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /** Lets {@code db} accept connections again, or stops it accepting new ones. */
    void allowConnections(ConnectionSpec db, boolean allow);

    /**
     * A database's identity apart from its contents.
     *
     * @param name its name
     * @param owner the owning role
     * @param encoding the encoding, e.g. UTF8
     * @param collate LC_COLLATE
     * @param ctype LC_CTYPE
     * @param tablespace the default tablespace
     * @param sizeBytes its size on disk now
     * @param connectionLimit the connection limit, -1 for none
     * @param allowConnections whether it accepts connections
     * @param comment its comment, or null
     * @param localeProvider c (libc), i (ICU) or b (builtin)
     * @param locale the ICU or builtin locale, or null for libc
     * @param settings database-level settings as {@code ALTER DATABASE ... SET} would make them, one per
     *     role they apply to (role null for all)
     * @param grants the privileges granted on it, or null when it has the defaults
     */
    record DatabaseProfile(
            String name,
            String owner,
            String encoding,
            String collate,
            String ctype,
            String tablespace,
            long sizeBytes,
            int connectionLimit,
            boolean allowConnections,
            String comment,
            String localeProvider,
            String locale,
            List<Setting> settings,
            List<Grant> grants) {

        /** The same database with these settings and grants. */
        public DatabaseProfile with(List<Setting> newSettings, List<Grant> newGrants) {
            return copy(allowConnections, newSettings, newGrants);
        }

        /** The same database, taking connections or not. */
        public DatabaseProfile allowingConnections(boolean allow) {
            return copy(allow, settings, grants);
        }

        private DatabaseProfile copy(boolean allow, List<Setting> newSettings, List<Grant> newGrants) {
            return new DatabaseProfile(
                    name,
                    owner,
                    encoding,
                    collate,
                    ctype,
                    tablespace,
                    sizeBytes,
                    connectionLimit,
                    allow,
                    comment,
                    localeProvider,
                    locale,
                    newSettings,
                    newGrants);
        }
    }

    /** One {@code name=value} setting of a database, for every role (role null) or one role. */
    record Setting(String role, String name, String value) {}

    /** One privilege on a database: {@code grantee} null means PUBLIC. */
    record Grant(String grantee, String privilege, boolean grantable) {}

    /**
     * A connected session.
     *
     * @param pid the backend's process id
     * @param user the login, or null if not visible
     * @param application the application_name, or null
     * @param client the client address, or null for a local socket or when not visible
     * @param since when the session started, or null if not visible
     * @param state active, idle, idle in transaction... or null if not visible
     */
    record Session(int pid, String user, String application, String client, java.time.Instant since, String state) {
        /** One line for a plan: "pid 1234 app@10.0.0.5 (shop_app, idle since 2026-12-06T02:00:00Z)". */
        public String describe() {
            StringBuilder s = new StringBuilder("pid ").append(pid);
            s.append(' ').append(user == null ? "(user not visible)" : user);
            if (client != null) {
                s.append('@').append(client);
            }
            List<String> more = new java.util.ArrayList<>();
            if (application != null && !application.isBlank()) {
                more.add(application);
            }
            if (state != null) {
                more.add(state + (since == null ? "" : " since " + since));
            } else if (since != null) {
                more.add("since " + since);
            }
            if (!more.isEmpty()) {
                s.append(" (").append(String.join(", ", more)).append(')');
            }
            return s.toString();
        }
    }

    /**
     * What a login may do to a database.
     *
     * @param createDatabases it may create databases (CREATEDB or superuser)
     * @param ownDatabase it owns the database or is a superuser: it may rename, alter and drop it
     * @param endSessions it may end other sessions on it (superuser or pg_signal_backend); sessions of
     *     its own role it may always end
     */
    record Rights(boolean createDatabases, boolean ownDatabase, boolean endSessions) {}
}
