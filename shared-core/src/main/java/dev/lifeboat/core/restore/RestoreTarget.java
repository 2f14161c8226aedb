package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.Durations;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.DatabaseState;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.TableDependents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a database restore acts on, worked out before anything is touched: the backup (readable, a
 * dump), the configured server that receives it, the target database's name and state, the mode
 * (a clean restore of a missing database becomes a create), the jobs, warnings, and the engine
 * that will run it (held open: the caller closes it). Also the plan's words and its token binding.
 */
public final class RestoreTarget {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreTarget.class);

    /** The start of the schema a selective restore keeps the tables it replaced in. */
    static final String KEEP_PREFIX = "lifeboat_prev_";

    private static final Pattern DBNAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");

    private final LifeboatContext ctx;

    public RestoreTarget(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    public Resolved resolve(RestoreRequest request) {
        return resolve(request, rec -> {});
    }

    /** As above; {@code found} is told the backup as soon as it is known to be a restorable dump. */
    public Resolved resolve(RestoreRequest request, java.util.function.Consumer<BackupRecord> found) {
        if (request.jobs() != null && (request.jobs() < 1 || request.jobs() > LifeboatConfig.MAX_RESTORE_JOBS)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid number of restore jobs " + request.jobs(),
                    "use 1 to " + LifeboatConfig.MAX_RESTORE_JOBS
                            + ", or leave it out for the configured restore_jobs (default: one" + " per core)");
        }
        BackupRecord rec = ctx.getReadable(request.backupId(), request.store());
        dev.lifeboat.core.base.Timeline.mark("restore: backup found (manifest read)");
        Manifest m = rec.manifest();
        if (m.ofDirectory()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "backup " + m.id() + " is a directory backup (of '" + m.database() + "'), not a database dump",
                    "restore it into a directory with " + Remedy.TARGET_DIR);
        }
        DatabaseConfig target;
        if (request.targetServer() != null && !request.targetServer().isBlank()) {
            target = ctx.config().database(request.targetServer());
        } else {
            target = ctx.config().databases().get(m.database());
            if (target == null) {
                throw new LifeboatException(
                        ErrorCode.NOT_FOUND,
                        "backup " + m.id() + " was taken from database '" + m.database()
                                + "', which is not configured here",
                        "name a configured database whose server receives the restore (" + Remedy.TARGET_SERVER
                                + "); configured: "
                                + String.join(", ", ctx.config().databases().keySet()));
            }
        }
        String dbname = request.targetDbname() == null || request.targetDbname().isBlank()
                ? target.dbname()
                : request.targetDbname().trim();
        if (!DBNAME.matcher(dbname).matches()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "invalid target database name '" + dbname + "'",
                    "use letters, digits, '_', '$' or '-', starting with a letter or '_', at most 63 characters");
        }
        if (Set.of("postgres", "template0", "template1").contains(dbname)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "refusing to restore into the system database '" + dbname + "'",
                    "choose another target database name");
        }
        found.accept(rec);
        ConnectionSpec spec = ctx.passwords().connect(target).withDatabase(dbname);
        DumpEngine engine = ctx.engine(target);
        try {
            return resolve(request, rec, target, spec, engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The rest of {@link #resolve(RestoreRequest)}: the target's state, read through {@code engine}. */
    private Resolved resolve(
            RestoreRequest request, BackupRecord rec, DatabaseConfig target, ConnectionSpec spec, DumpEngine engine) {
        Manifest m = rec.manifest();
        String dbname = spec.dbname();
        DatabaseState state = engine.inspect(spec);
        dev.lifeboat.core.base.Timeline.mark("restore: target inspected");
        RestoreMode mode = request.mode() == null ? RestoreMode.CREATE : request.mode();
        List<String> warnings = new ArrayList<>();
        if (mode == RestoreMode.CREATE && state.exists()) {
            throw new LifeboatException(
                    ErrorCode.ALREADY_EXISTS,
                    "target database '" + dbname + "' already exists on " + spec.host() + ":" + spec.port(),
                    "restore into a new name (" + Remedy.TARGET_DBNAME + "), or over it with " + Remedy.MODE_REPLACE
                            + " (destructive, needs confirmation; the current database is kept for undo)");
        }
        if (mode != RestoreMode.CREATE && !state.exists()) {
            mode = RestoreMode.CREATE;
            warnings.add("target database '" + dbname + "' does not exist: it will be created, nothing is dropped");
        }
        Selection selection = request.selection();
        TableDependents dependents = null;
        if (!selection.everything()) {
            requireSelectable(selection, m, mode, spec);
            if (mode != RestoreMode.CREATE) {
                dependents = engine.tableDependents(spec, plannedTables(selection, m));
                requireRepointable(dependents, spec);
            }
        }
        if (state.server() != null
                && m.server() != null
                && state.server().majorVersion() < m.server().majorVersion()) {
            warnings.add("the backup comes from PostgreSQL " + m.server().version() + " and the target runs "
                    + state.server().version() + ": restoring into an older server may fail");
        }
        if (!m.database().equals(target.name()) && mode != RestoreMode.CREATE) {
            warnings.add("the backup is of database '" + m.database() + "', not of '" + target.name()
                    + "' whose server receives it: check that this is the database you mean to overwrite");
        }
        Databases.DatabaseProfile profile = null;
        List<Databases.Session> sessions = List.of();
        if (mode != RestoreMode.CREATE) {
            Databases databases = engine.databases();
            profile = databases.profile(spec).orElse(null);
            sessions = databases.sessions(spec);
            if (mode == RestoreMode.REPLACE && selection.everything()) {
                Databases.Rights rights = databases.rights(spec);
                requireReplaceRights(rights, spec);
                long others = sessions.stream()
                        .filter(x -> !spec.user().equals(x.user()))
                        .count();
                if (others > 0 && !rights.endSessions()) {
                    warnings.add(others + " connected session(s) belong to other roles, and " + spec.user()
                            + " may not end them (that needs pg_signal_backend or a superuser): unless they"
                            + " disconnect, the swap is refused with BUSY and the target stays as it is");
                }
            }
            if (!sessions.isEmpty()) {
                warnings.add(sessions.size() + " session(s) are connected to '" + dbname + "' now"
                        + (mode == RestoreMode.REPLACE && selection.everything()
                                ? "; the swap ends them (their open transactions are rolled back)"
                                : "; the restore waits for their locks (and holds up their queries meanwhile) at most "
                                        + Durations.text(target.restoreLockTimeout())
                                        + " (restore_lock_timeout), then gives up and changes nothing"));
            }
        }
        int jobs = request.jobs() != null ? request.jobs() : ctx.config().restoreJobs(target);
        if (mode == RestoreMode.CLEAN) {
            jobs = 1;
        }
        return new Resolved(
                rec,
                target,
                spec,
                dbname,
                state,
                mode,
                jobs,
                List.copyOf(warnings),
                engine,
                profile,
                sessions,
                target.keepPrevious(),
                mode == RestoreMode.CLEAN && !request.withoutSafetyBackup()
                        ? ctx.config().storeFor(target, null).name()
                        : null,
                selection,
                dependents,
                request.owners());
    }

    /** The tables a selection names, its schemas read as the tables the manifest lists in them. */
    static List<String> plannedTables(Selection selection, Manifest m) {
        List<String> tables = new ArrayList<>(selection.tables());
        m.tables().stream()
                .filter(t -> selection.schemas().contains(t.schema()))
                .map(dev.lifeboat.core.engine.TableSummary::qualifiedName)
                .filter(t -> !tables.contains(t))
                .forEach(tables::add);
        return tables;
    }

    /** INVALID_ARGUMENT naming the materialized views over the tables, which cannot be re-pointed in place. */
    private static void requireRepointable(TableDependents dependents, ConnectionSpec spec) {
        if (!dependents.materializedViews().isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "materialized view(s) " + String.join(", ", dependents.materializedViews()) + " in '"
                            + spec.dbname() + "' are built on the tables to restore and cannot be pointed at"
                            + " restored ones in place; nothing was changed",
                    "restore the selection into a new database (" + Remedy.TARGET_DBNAME
                            + ") and copy the tables over, or restore the whole backup with " + Remedy.MODE_REPLACE);
        }
    }

    /**
     * A selective restore goes into a new database, and names tables the backup holds (checked
     * against the manifest here, before anything is read; the archive's own listing has the last word).
     */
    private static void requireSelectable(Selection selection, Manifest m, RestoreMode mode, ConnectionSpec spec) {
        if (mode == RestoreMode.CLEAN) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "a selective restore (" + selection.describe() + ") over the existing database '" + spec.dbname()
                            + "' replaces those tables and keeps their current contents aside for undo: it is not"
                            + " a clean restore",
                    "restore the selection with " + Remedy.MODE_REPLACE);
        }
        if (m.tables().isEmpty()) {
            return; // an old manifest without its table list: the archive's listing decides
        }
        Set<String> held = new HashSet<>();
        m.tables().forEach(t -> held.add(t.qualifiedName()));
        List<String> missing =
                selection.tables().stream().filter(t -> !held.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "backup " + m.id() + " holds no table " + String.join(", no table ", missing) + "; it holds "
                            + m.tables().size() + " table(s)",
                    "list what it holds (" + Remedy.CONTENTS + ") and name tables as SCHEMA.TABLE, as listed there");
        }
    }

    /** PERMISSION_DENIED naming what the login lacks to restore beside a database and swap it in. */
    private static void requireReplaceRights(Databases.Rights rights, ConnectionSpec spec) {
        List<String> missing = new ArrayList<>();
        if (!rights.createDatabases()) {
            missing.add("the CREATEDB right (to restore into a new database beside it)");
        }
        if (!rights.ownDatabase()) {
            missing.add("ownership of '" + spec.dbname() + "' (to rename it aside)");
        }
        if (!missing.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.PERMISSION_DENIED,
                    "a restore that replaces '" + spec.dbname() + "' on " + spec.host() + ":" + spec.port()
                            + " cannot run as " + spec.user() + ": it lacks " + String.join(" and ", missing),
                    "grant it (ALTER ROLE " + spec.user() + " CREATEDB; ALTER DATABASE " + spec.dbname()
                            + " OWNER TO " + spec.user() + "), or restore in place with " + Remedy.MODE_CLEAN
                            + " (objects the backup lacks survive it, and there is no undo)");
        }
    }

    public record Resolved(
            BackupRecord record,
            DatabaseConfig targetConfig,
            ConnectionSpec spec,
            String dbname,
            DatabaseState state,
            RestoreMode mode,
            int jobs,
            List<String> warnings,
            DumpEngine engine,
            Databases.DatabaseProfile profile,
            List<Databases.Session> sessions,
            Duration keepPrevious,
            String safetyStore,
            Selection selection,
            TableDependents dependents,
            Owners owners) {

        /** "~250" for a planner's estimate; "? rows" when the table was never analysed. */
        private static String rows(long estimate) {
            return estimate < 0 ? "? rows" : "~" + estimate + " rows";
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> out = new ArrayList<>(a);
            out.addAll(b);
            return List.copyOf(out);
        }

        /** Whether a clean restore takes a safety backup of the target (into {@link #safetyStore}) first. */
        public boolean safetyBackup() {
            return safetyStore != null;
        }

        public boolean destructive() {
            return mode != RestoreMode.CREATE;
        }

        public String serverText() {
            return spec.host() + ":" + spec.port();
        }

        public PlanBinding binding() {
            Manifest m = record.manifest();
            // a clean restore without its safety backup is another plan: its token is not the other's
            String boundMode = mode == RestoreMode.CLEAN && !safetyBackup() ? "clean-without-safety-backup" : mode.id();
            if (!selection.everything()) {
                // another selection is another plan
                boundMode += " of " + selection.describe();
            }
            if (owners != Owners.KEEP) {
                // creating roles, or giving everything to the login, is another plan
                boundMode += ", owners " + owners.id();
            }
            return new PlanBinding("restore", m.id(), m.sha256(), serverText() + "/" + dbname, boundMode);
        }

        /**
         * The plan, bound by {@code confirmation}; {@code skipped} is what a selective restore leaves
         * out (a foreign key to a table neither restored nor at the target...); {@code how}, when not
         * null, ends its summary: how the restore will run when not the usual way.
         */
        public RestorePlan plan(Confirmation confirmation, List<String> skipped, List<String> roleNotes, String how) {
            Manifest m = record.manifest();
            Set<String> inBackup = new HashSet<>();
            m.tables().forEach(t -> inBackup.add(t.qualifiedName()));
            List<String> replace =
                    state.tables().stream().filter(inBackup::contains).sorted().toList();
            List<String> onlyInTarget = state.tables().stream()
                    .filter(t -> !inBackup.contains(t))
                    .sorted()
                    .toList();
            ReplaceNames names = new ReplaceNames(dbname);
            boolean keeps = mode == RestoreMode.REPLACE && !keepPrevious.isZero();
            String keptAs =
                    keeps ? names.prefix() + ReplaceNames.KEPT + "<time of the swap, UTC yyyyMMddHHmmss>" : null;
            List<String> dependentsText = List.of();
            if (dependents != null) {
                // a selective restore over the database: its tables, not the database, are replaced and kept
                Map<String, Long> recorded = new java.util.HashMap<>();
                m.tables().forEach(t -> recorded.put(t.qualifiedName(), t.rows()));
                replace = plannedTables(selection, m).stream()
                        .map(t -> t + " ("
                                + (dependents.rows().containsKey(t)
                                        ? rows(dependents.rows().get(t)) + " now"
                                        : "not there now")
                                + ", " + (recorded.getOrDefault(t, -1L) < 0 ? "?" : recorded.get(t))
                                + " rows in the backup)")
                        .toList();
                onlyInTarget = List.of();
                keeps = true;
                keptAs = KEEP_PREFIX + "<time of the restore, UTC yyyyMMddHHmmss> (a schema in '" + dbname + "')";
                List<String> d = new ArrayList<>();
                dependents
                        .foreignKeys()
                        .forEach(fk ->
                                d.add("foreign key " + fk + ": dropped and added again against the restored rows"));
                dependents.views().forEach(v -> d.add("view " + v + ": pointed at the restored tables"));
                dependentsText = d;
            }
            return new RestorePlan(
                    m.id(),
                    record.store(),
                    m.createdAt(),
                    m.sizeBytes(),
                    m.sha256(),
                    m.database(),
                    targetConfig.name(),
                    serverText(),
                    dbname,
                    state.exists(),
                    mode,
                    destructive(),
                    mode == RestoreMode.CREATE ? List.of() : replace,
                    mode == RestoreMode.CLEAN ? onlyInTarget : List.of(),
                    mode == RestoreMode.CREATE ? List.of() : onlyInTarget,
                    profile == null ? null : profile.owner(),
                    profile == null ? -1 : profile.sizeBytes(),
                    sessions.stream().map(Databases.Session::describe).toList(),
                    keptAs,
                    keeps ? Durations.text(dependents != null ? KeptTables.keepFor(keepPrevious) : keepPrevious) : null,
                    mode == RestoreMode.CREATE || keeps || safetyBackup(),
                    safetyBackup(),
                    selection,
                    dependentsText,
                    skipped,
                    state.server() == null ? null : state.server().version(),
                    roleNotes.isEmpty() ? warnings : concat(warnings, roleNotes),
                    confirmation,
                    how == null
                            ? RestorePlanText.summary(this, replace, onlyInTarget)
                            : RestorePlanText.summary(this, replace, onlyInTarget) + " " + how);
        }
    }
}
