package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.engine.ChildProcess;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.RestoreOptions;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableContent;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * pg_restore run on a verified archive file: into a database ({@link #restore}), or to read what the
 * archive holds without a server (its table data counted and digested, the roles its grants name).
 */
final class PgRestore {
    private final PgAccess pg;

    PgRestore(PgAccess pg) {
        this.pg = pg;
    }

    /** pg_restore's arguments for owners kept or given to the login, and grants restored or left out. */
    static List<String> ownerArguments(boolean keepOwners, boolean grants) {
        List<String> out = new ArrayList<>();
        if (!keepOwners) {
            out.add("--no-owner");
        }
        if (!grants) {
            out.add("--no-acl");
        }
        return out;
    }

    /** Restores {@code archive} into {@code target} (on {@code server}, as {@code where} describes it). */
    void restore(Path archive, ConnectionSpec target, ServerInfo server, String where, RestoreOptions options) {
        restore(archive, null, target, server, where, options);
    }

    /**
     * Restores the archive streamed from {@code archive} into {@code target}: pg_restore reads its stdin
     * (one job). A failure to read the archive kills pg_restore and is what this throws.
     */
    void restore(InputStream archive, ConnectionSpec target, ServerInfo server, String where, RestoreOptions options) {
        restore(null, archive, target, server, where, options);
    }

    private void restore(
            Path archive,
            InputStream stream,
            ConnectionSpec target,
            ServerInfo server,
            String where,
            RestoreOptions options) {
        PgTools.PgTool tool = pg.tools().pick("pg_restore", server.majorVersion(), where);
        List<String> command = new ArrayList<>(List.of(tool.path().toString(), "--no-password", "--exit-on-error"));
        command.addAll(ownerArguments(options.keepOwners(), options.grants()));
        if (options.clean()) {
            command.addAll(List.of("--clean", "--if-exists", "--single-transaction"));
        } else if (options.jobs() > 1) {
            command.add("--jobs=" + options.jobs());
        }
        switch (options.sections()) {
            case UP_TO_DATA -> command.addAll(List.of("--section=pre-data", "--section=data"));
            case POST_DATA -> command.add("--section=post-data");
            case ALL -> {}
        }
        // a --dbname holding '=' is read as a conninfo string: quoting the name keeps it a name
        command.add("--dbname=dbname=" + PgJdbc.conninfoValue(target.dbname()));
        Path useList = null;
        if (options.only() != null) {
            // a file beside the passfiles, not stdin: the child's stdin is the pipe that kills it with us
            useList = pg.passfiles().writeUseList(options.only());
            command.add("--use-list=" + useList);
        }
        if (archive != null) {
            command.add(archive.toAbsolutePath().toString());
        }
        PgClientEnvironment.Prepared env;
        try {
            env = PgClientEnvironment.prepare(target, pg.environment(), pg.passfiles());
        } catch (RuntimeException e) {
            if (useList != null) {
                pg.passfiles().delete(useList);
            }
            throw e;
        }
        Map<String, String> childEnv = env.env();
        String appName = null;
        if (options.lockTimeout() != null) {
            // named so the watcher finds this restore's backend and no other
            appName =
                    "lifeboat-restore-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            childEnv = new java.util.HashMap<>(childEnv);
            childEnv.put("PGAPPNAME", appName);
        }
        try (ChildProcess child = ChildProcess.start(
                        "pg_restore",
                        command,
                        childEnv,
                        stream != null,
                        pg.passfiles().alsoDeleting(env.cleanup(), useList));
                ArchiveFeed feed = stream == null ? null : ArchiveFeed.start(child, stream);
                LockWatch watch = appName == null
                        ? null
                        : LockWatch.start(pg.maintenance(), target, appName, options.lockTimeout())) {
            Timeline.mark("pg_restore started (" + (stream != null ? "streamed" : options.jobs() + " job(s)") + ")");
            int code = child.waitFor();
            Timeline.mark("pg_restore ended");
            RuntimeException unread = feed == null ? null : feed.awaitFailure();
            if (unread != null) {
                throw unread; // the archive could not be read whole, or proved damaged: pg_restore was stopped
            }
            if (code != 0) {
                if (watch != null && watch.blockers() != null) {
                    throw watch.gaveUp(target, child.stderr());
                }
                throw PgErrors.failed("pg_restore", code, child.stderr(), target);
            }
        }
    }

    /** The rows of the tables whose data entries are among {@code only} (null: all), counted and digested. */
    Map<String, TableContent> archiveContents(Path archive, List<Integer> only) {
        try (ChildProcess child = script(archive, false, only, "--data-only")) {
            return CopyBlocks.digestOutput(child, "pg_restore --data-only", null);
        }
    }

    /**
     * The roles the grant entries {@code grantIds} name (grantees, grantors, default privileges' roles),
     * read from the script pg_restore writes for them: a listing does not show them.
     */
    Set<String> grantRoles(Path archive, List<Integer> grantIds) {
        return grantRoles(archive, null, grantIds);
    }

    /** As {@link #grantRoles(Path, List)}, from the archive streamed from {@code stream} (its head suffices). */
    Set<String> grantRoles(InputStream stream, List<Integer> grantIds) {
        return grantRoles(null, stream, grantIds);
    }

    private Set<String> grantRoles(Path archive, InputStream stream, List<Integer> grantIds) {
        if (grantIds.isEmpty()) {
            return Set.of();
        }
        try (ChildProcess child = script(archive, stream != null, grantIds);
                ArchiveFeed feed = stream == null ? null : ArchiveFeed.start(child, stream)) {
            return GrantScript.roles(PgErrors.output(child, "pg_restore (grants)", null));
        }
    }

    /**
     * pg_restore writing the entries {@code only} (null: all) of {@code archive} (null: its stdin, when
     * {@code fed}) as a SQL script on its stdout, with {@code options}; no server is involved.
     */
    private ChildProcess script(Path archive, boolean fed, List<Integer> only, String... options) {
        PgTools.PgTool tool = pg.tools().newest("pg_restore");
        List<String> command = new ArrayList<>(List.of(tool.path().toString()));
        command.addAll(List.of(options));
        command.add("--file=-");
        Path useList = only == null ? null : pg.passfiles().writeUseList(only);
        if (useList != null) {
            command.add("--use-list=" + useList);
        }
        if (archive != null) {
            command.add(archive.toAbsolutePath().toString());
        }
        return pg.startOffline(command, useList, fed);
    }
}
