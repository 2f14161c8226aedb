package dev.lifeboat.core.engine;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Dumps and restores one kind of database. The PostgreSQL engine runs pg_dump and pg_restore as child
 * processes; every failure is a {@link dev.lifeboat.core.base.LifeboatException} whose message carries the
 * tool's (redacted) stderr. Every method that waits on a child process (including reads of {@link
 * Dump#data()}) kills it and its descendants when the calling thread is interrupted, and then throws
 * CANCELLED; the interrupt is consumed (the thread's flag is clear afterwards) so the caller's cleanup
 * can still do blocking I/O.
 */
public interface DumpEngine extends AutoCloseable {

    /** Connects and reports the server; DATABASE_UNREACHABLE when it cannot. */
    ServerInfo probe(ConnectionSpec source);

    /**
     * Starts dumping {@code source} in the archive format. Before anything is returned the server
     * version is checked against the available tools: TOOL_VERSION when none is new enough.
     */
    Dump startDump(ConnectionSpec source, DumpOptions options);

    /**
     * Lists an archive's table of contents (pg_restore --list): one line per entry, without the tool's
     * ';' header comments. Reads only as much of {@code archive} as the tool needs and does not close it.
     * TOOL_FAILED naming the problem if it is not a valid archive.
     */
    List<String> listArchive(InputStream archive);

    /**
     * An archive's table of contents with each entry's dependencies (pg_restore --list --verbose), for
     * a selective restore. Reads only as much of {@code archive} as the tool needs and does not close
     * it. TOOL_FAILED naming the problem if it is not a valid archive. An engine whose listing has no
     * dependencies answers from {@link #listArchive}.
     */
    default ArchiveToc tableOfContents(InputStream archive) {
        return ArchiveToc.parse(listArchive(archive));
    }

    /** Reports whether {@code target}'s database exists and what tables it holds (schema-qualified). */
    DatabaseState inspect(ConnectionSpec target);

    /**
     * Creates the (new, empty) database {@code target.dbname()}, owned by {@code target.user()} and
     * copied from template0 so nothing local to template1 collides with a restore; ALREADY_EXISTS if it
     * exists.
     */
    void createDatabase(ConnectionSpec target);

    /**
     * Drops {@code target.dbname()} if it exists (used to clean up after a failed restore), ending other
     * sessions connected to it first.
     */
    void dropDatabase(ConnectionSpec target);

    /**
     * Restores an archive file into the existing database {@code target.dbname()}. Refuses a file that
     * is not a custom-format archive (INTEGRITY_FAILED) and picks a pg_restore at least as new as the
     * target server (TOOL_VERSION) before touching the target. Objects keep their owners or end up
     * owned by {@code target.user()}, and grants are restored or not, as {@code options} say. In clean mode a failure rolls everything
     * back; otherwise the target may be left half restored (drop it).
     */
    void restore(Path archive, ConnectionSpec target, RestoreOptions options);

    /**
     * Starts, in the background, whatever {@link #restore} will need to learn about the local tools, so
     * it overlaps the caller's work before the restore (verifying the archive). Optional; reports
     * nothing: {@link #restore} reports any failure.
     */
    default void prepareRestore() {}

    /**
     * Whether {@link #restore(java.io.InputStream, ConnectionSpec, RestoreOptions)} reads an archive as
     * it is streamed to it (one job, everything); false: restores need a file.
     */
    default boolean restoresFromAStream() {
        return false;
    }

    /**
     * Copies the head of the archive read from {@code archive} into {@code file}: all that a restore of
     * the archive's {@link RestoreOptions.Sections#POST_DATA post-data} part reads (for pg_dump's custom
     * format, the header and the table of contents), and nothing after it. False when this engine
     * cannot tell where the head ends (the file then holds some prefix of the archive): a restore then
     * does not split the archive's sections.
     */
    default boolean copyArchiveHead(java.io.InputStream archive, Path file) throws java.io.IOException {
        return false;
    }

    /**
     * As {@link #restore(Path, ConnectionSpec, RestoreOptions)}, reading the archive from {@code archive}
     * as it comes: one job, every entry of the sections {@code options} name. A failure to read it (its own error: damaged, unreadable,
     * cancelled) stops the restore and is what this throws; in clean mode the transaction is then
     * rolled back.
     */
    default void restore(java.io.InputStream archive, ConnectionSpec target, RestoreOptions options) {
        throw new dev.lifeboat.core.base.LifeboatException(
                dev.lifeboat.core.base.ErrorCode.INTERNAL, "this engine cannot restore from a stream", null);
    }

    /**
     * As {@link #grantRoles(Path, List)}, reading the archive's head from {@code archive} (the grants
     * are in its table of contents; the stream is left unread past it).
     */
    default java.util.Set<String> grantRoles(java.io.InputStream archive, List<Integer> grantIds) {
        return java.util.Set.of();
    }

    /**
     * Whole databases on this engine's servers, for a restore that replaces one and its undo;
     * INTERNAL for an engine that cannot do that.
     */
    default Databases databases() {
        throw new dev.lifeboat.core.base.LifeboatException(
                dev.lifeboat.core.base.ErrorCode.INTERNAL, "this engine cannot replace whole databases", null);
    }

    /**
     * Which of {@code tables} (schema-qualified) exist in {@code db}, and what else in it depends on them
     * from outside (foreign keys of other tables, views); INTERNAL for an engine that cannot restore
     * tables over a database.
     */
    default TableDependents tableDependents(ConnectionSpec db, List<String> tables) {
        throw new dev.lifeboat.core.base.LifeboatException(
                dev.lifeboat.core.base.ErrorCode.INTERNAL, "this engine cannot restore tables over a database", null);
    }

    /**
     * Restores entries of {@code archive} into the existing database {@code target} in place of the
     * tables they bring back, in one transaction that either commits whole or leaves the database as
     * it was: the tables that exist are moved into {@code keepSchema} (a new schema), the foreign keys of
     * other tables that referenced them are dropped and added again against the restored ones (so a
     * restored table lacking rows they need fails the restore), and views over them are pointed at the
     * restored ones. A materialized view over one refuses the restore (INVALID_ARGUMENT) before
     * anything changes; BUSY when a lock is not granted within the replacement's lock timeout.
     *
     * @return where each of the replacement's tables is kept, schema-qualified in {@code keepSchema}, in
     *     the replacement's order (for those that existed; the others had nothing to keep)
     */
    default List<String> replaceTables(Path archive, ConnectionSpec target, TableReplacement replacement) {
        throw new dev.lifeboat.core.base.LifeboatException(
                dev.lifeboat.core.base.ErrorCode.INTERNAL, "this engine cannot restore tables over a database", null);
    }

    /**
     * The schemas of {@code db} whose names start with {@code prefix}, each with its comment (null when
     * it has none), sorted by name: where selective restores keep the tables they replaced. An engine
     * that cannot restore tables over a database has none.
     */
    default Map<String, String> schemasStartingWith(ConnectionSpec db, String prefix) {
        return Map.of();
    }

    /**
     * Drops the schema {@code schema} of {@code db} with everything in it: a selective restore's kept
     * tables once they expired.
     */
    default void dropSchema(ConnectionSpec db, String schema) {
        throw new dev.lifeboat.core.base.LifeboatException(
                dev.lifeboat.core.base.ErrorCode.INTERNAL, "this engine cannot restore tables over a database", null);
    }

    /**
     * Undoes a selective restore, in one transaction that commits whole or changes nothing: the
     * tables of {@code replacement} that are in place now are moved into its {@code keepSchema} (a new
     * schema), the ones {@link #replaceTables} kept in {@code fromSchema} are moved back under their
     * names, dependents are put back as after {@link #replaceTables}, and {@code fromSchema} is dropped
     * once empty. {@code replacement.only()} is not used.
     */
    default void putBackTables(ConnectionSpec target, String fromSchema, TableReplacement replacement) {
        throw new dev.lifeboat.core.base.LifeboatException(
                dev.lifeboat.core.base.ErrorCode.INTERNAL, "this engine cannot restore tables over a database", null);
    }

    /**
     * The roles {@code db}'s objects need (owners, grantees, and the roles they are members of), as a
     * password-free script: what a backup keeps so that it restores onto a brand-new server with its
     * owners. INTERNAL for an engine that cannot.
     */
    default RolesDump roles(ConnectionSpec db) {
        throw new dev.lifeboat.core.base.LifeboatException(
                dev.lifeboat.core.base.ErrorCode.INTERNAL, "this engine cannot dump roles", null);
    }

    /**
     * The roles the grant entries {@code grantIds} of the archive file name (grantees, grantors,
     * default privileges' roles); none for an engine without roles.
     */
    default java.util.Set<String> grantRoles(Path archive, List<Integer> grantIds) {
        return java.util.Set.of();
    }

    /**
     * Which of {@code roles} do not exist on {@code target}'s server, and which exist but cannot be
     * given objects by the login; {@link RoleCheck#ALL_THERE} for an engine without roles.
     */
    default RoleCheck checkRoles(ConnectionSpec target, java.util.Collection<String> roles) {
        return RoleCheck.ALL_THERE;
    }

    /**
     * Creates {@code roles} on {@code target}'s server as {@code script} (a backup's kept roles)
     * describes them, with their memberships, in one transaction; returns them.
     */
    default List<String> createRoles(ConnectionSpec target, String script, java.util.Collection<String> roles) {
        throw new dev.lifeboat.core.base.LifeboatException(
                dev.lifeboat.core.base.ErrorCode.INTERNAL, "this engine cannot create roles", null);
    }

    /** Drops {@code roles} from {@code target}'s server (roles a failed restore created). */
    default void dropRoles(ConnectionSpec target, List<String> roles) {
        throw new dev.lifeboat.core.base.LifeboatException(
                dev.lifeboat.core.base.ErrorCode.INTERNAL, "this engine cannot drop roles", null);
    }

    /** Releases what the engine kept open for reuse within one operation (connections). */
    @Override
    default void close() {}

    /**
     * The dump and restore tools this engine would pick for a server of {@code serverMajor}, for plans
     * and messages, e.g. "pg_dump 15.4 (/usr/lib/postgresql/15/bin/pg_dump), pg_restore 15.4 (...)";
     * TOOL_VERSION naming the versions found when none is new enough.
     */
    String toolFor(int serverMajor);

    /**
     * The rows of every table in an archive's data section (pg_restore --data-only), counted and
     * digested; TOOL_FAILED if the archive cannot be read.
     */
    java.util.Map<String, TableContent> archiveContents(Path archive);

    /**
     * As {@link #archiveContents(Path)}, for at least the tables whose data entries are among {@code
     * only} (a selective drill's): an engine may read out only those, or all (callers pick theirs).
     */
    default java.util.Map<String, TableContent> archiveContents(Path archive, List<Integer> only) {
        return archiveContents(archive);
    }

    /**
     * The rows of every table in {@code db} (pg_dump --data-only), counted and digested the same way as
     * {@link #archiveContents}, so a restored database can be compared with its archive.
     */
    java.util.Map<String, TableContent> databaseContents(ConnectionSpec db);
}
