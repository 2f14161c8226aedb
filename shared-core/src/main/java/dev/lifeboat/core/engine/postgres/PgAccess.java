package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.engine.ChildProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the engine's parts reach PostgreSQL with: the client programs, the caller's environment (only
 * its allow-listed part goes to a child), temporary passfiles and use-lists, JDBC connections and the
 * engine's maintenance connections. One per {@link PgDumpEngine}, shared by its parts.
 */
record PgAccess(
        PgTools tools,
        Map<String, String> environment,
        Passfiles passfiles,
        PgJdbc jdbc,
        MaintenanceConnection maintenance) {

    /**
     * Starts the newest pg_restore with {@code command} on an archive file (no server: it writes to
     * stdout), with the environment's allow-listed part; {@code useList} is deleted when it ends.
     */
    ChildProcess startOffline(List<String> command, Path useList) {
        return startOffline(command, useList, false);
    }

    /** As {@link #startOffline(List, Path)}; with {@code fed}, pg_restore reads the archive from its stdin. */
    ChildProcess startOffline(List<String> command, Path useList, boolean fed) {
        return ChildProcess.start(
                "pg_restore",
                command,
                PgClientEnvironment.base(environment),
                fed,
                passfiles.alsoDeleting(null, useList));
    }
}
