package dev.lifeboat.core.engine;

import dev.lifeboat.core.catalog.ServerInfo;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Dumps and restores one kind of database. The PostgreSQL engine runs pg_dump and pg_restore as child
 * processes; every failure is a {@link dev.lifeboat.core.LifeboatException} whose message carries the
 * tool's (redacted) stderr. Every method that runs a child process kills it when the calling thread
 * is interrupted, and then throws CANCELLED.
 */
public interface DumpEngine {

    /** Connects and reports the server; DATABASE_UNREACHABLE when it cannot. */
    ServerInfo probe(ConnectionSpec source);

    /**
     * Starts dumping {@code source} in the archive format. Before anything is returned the server
     * version is checked against the available tools: TOOL_VERSION when none is new enough.
     */
    Dump startDump(ConnectionSpec source, DumpOptions options);

    /** Lists an archive's table of contents (pg_restore --list); TOOL_FAILED if it is not a valid archive. */
    List<String> listArchive(InputStream archive);

    /** Reports whether {@code target}'s database exists and what tables it holds. */
    DatabaseState inspect(ConnectionSpec target);

    /** Creates the (new, empty) database {@code target.dbname()}; ALREADY_EXISTS if it exists. */
    void createDatabase(ConnectionSpec target);

    /** Drops {@code target.dbname()} if it exists (used to clean up after a failed restore). */
    void dropDatabase(ConnectionSpec target);

    /** Restores an archive file into the existing database {@code target.dbname()}. */
    void restore(Path archive, ConnectionSpec target, RestoreOptions options);

    /** The versions of the dump tool this engine would pick for a server of {@code serverMajor}, for messages. */
    String toolFor(int serverMajor);
}
