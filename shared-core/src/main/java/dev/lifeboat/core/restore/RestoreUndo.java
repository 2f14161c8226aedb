package dev.lifeboat.core.restore;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.Durations;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.DumpEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Undoes the last restore over a database. After a replace, the newest unexpired copy it kept takes
 * the target's place again by the same swap, and the database it replaces is kept in turn. After a
 * clean restore, its safety backup is restored over the target in place, with a safety backup of
 * what is there now. Either way the undo can itself be undone. Destructive: plan, then the plan's
 * token.
 */
public final class RestoreUndo {
    private final LifeboatContext ctx;
    private final DatabaseRestore restores;

    public RestoreUndo(LifeboatContext ctx) {
        this.ctx = ctx;
        this.restores = new DatabaseRestore(ctx);
    }

    /** Undoes with the token, or answers with the plan (and its token) without one. */
    public Outcome<UndoPlan, UndoResult> request(UndoRequest request, OperationContext context) {
        if (!Confirmations.given(request.confirmToken())) {
            return Outcome.confirmationRequired(plan(request));
        }
        return Outcome.done(undo(request, context));
    }

    public UndoPlan plan(UndoRequest request) {
        Target t = target(request);
        try (DumpEngine engine = t.engine()) {
            Found f = find(engine, t);
            List<Databases.Session> sessions = engine.databases().sessions(t.spec());
            Confirmation confirmation = ctx.issue(binding(t, f));
            String db = t.spec().dbname();
            if (f.tables() != null) {
                return tablesPlan(t, f, sessions, confirmation);
            }
            String currentKeptAs = f.safety() != null
                    ? "a new safety backup of '" + db + "'"
                    : new ReplaceNames(db).prefix() + ReplaceNames.KEPT + "<time of the swap, UTC yyyyMMddHHmmss>";
            String summary = f.safety() != null
                    ? "Undo the clean restore of '" + db + "' on " + t.server() + ": restore its safety backup "
                            + f.name() + " (the database as it was before that restore, taken at " + f.at()
                            + ") over '" + db + "' in place, in one transaction. A safety backup of '" + db
                            + "' as it is now is taken first, so this undo can be undone too."
                    : "Undo the restore that replaced '" + db + "' on " + t.server() + ": put back '" + f.name()
                            + "' (the database as it was before that restore, kept at " + f.at() + ", expires "
                            + f.expiresAt() + ") under the name '" + db + "'. The current '" + db + "' is kept as '"
                            + currentKeptAs + "' for " + Durations.text(t.keep()) + ", so this undo can be undone"
                            + " too."
                            + (sessions.isEmpty()
                                    ? ""
                                    : " " + sessions.size() + " connected session(s) will be ended at the swap.");
            return plan(t, f, f.name(), currentKeptAs, sessions, confirmation, summary);
        }
    }

    private UndoPlan tablesPlan(Target t, Found f, List<Databases.Session> sessions, Confirmation confirmation) {
        String db = t.spec().dbname();
        String tables = String.join(
                ", ",
                f.tables().tables().stream()
                        .map(dev.lifeboat.core.engine.TableName::qualifiedName)
                        .toList());
        String currentKeptAs =
                RestoreTarget.KEEP_PREFIX + "<time of the undo, UTC yyyyMMddHHmmss> (a schema in '" + db + "')";
        String summary = "Undo the selective restore of " + tables + " in '" + db + "' on " + t.server()
                + " (backup " + f.tables().restoreOf() + ", at " + f.tables().restoredAt() + "), in ONE transaction:"
                + " the tables as they were before it come back from schema "
                + f.tables().schema() + " (a table"
                + " that did not exist then is removed), the current ones are kept in a new schema for "
                + Durations.text(keepFor(t)) + ", so this undo can be undone too; other tables' foreign keys and"
                + " views are put back around them. The rest of the database is untouched.";
        return plan(t, f, f.tables().schema(), currentKeptAs, sessions, confirmation, summary);
    }

    /** The plan to put back {@code previous} (a kept database, or a schema of kept tables) found as {@code f}. */
    private static UndoPlan plan(
            Target t,
            Found f,
            String previous,
            String currentKeptAs,
            List<Databases.Session> sessions,
            Confirmation confirmation,
            String summary) {
        return new UndoPlan(
                t.config().name(),
                t.server(),
                t.spec().dbname(),
                previous,
                f.at(),
                f.expiresAt(),
                currentKeptAs,
                sessions.stream().map(Databases.Session::describe).toList(),
                f.all(),
                confirmation,
                summary);
    }

    private static Duration keepFor(Target t) {
        return KeptTables.keepFor(t.keep());
    }

    /** A selective restore undone: its kept tables back in one transaction, the current ones kept in turn. */
    private UndoResult undoTables(DumpEngine engine, Target t, Found f, Instant started) {
        Instant now = ctx.now();
        String keep = KeptTables.freeName(engine, t.spec(), now);
        Instant expires = now.plus(keepFor(t));
        KeptTables k = f.tables();
        engine.putBackTables(
                t.spec(),
                k.schema(),
                new dev.lifeboat.core.engine.TableReplacement(
                        List.of(),
                        k.tables(),
                        keep,
                        KeptTables.comment(k.restoreOf(), now, expires, k.tables()),
                        t.config().restoreLockTimeout()));
        return result(t, k.schema(), keep, expires, List.of(), started);
    }

    /** The copies replacing restores kept of {@code database} (its dbname, or {@code targetDbname}), newest first. */
    public List<PreviousCopy> copies(String database, String targetDbname) {
        Target t = target(new UndoRequest(database, targetDbname, null));
        try (DumpEngine engine = t.engine()) {
            return PreviousCopies.of(engine.databases(), t.spec(), t.config());
        }
    }

    /** The tables selective restores kept in {@code database} (its dbname, or {@code targetDbname}), newest first. */
    public List<KeptTables> keptTables(String database, String targetDbname) {
        Target t = target(new UndoRequest(database, targetDbname, null));
        try (DumpEngine engine = t.engine()) {
            return engine.databases().profile(t.spec()).isPresent() ? KeptTables.in(engine, t.spec()) : List.of();
        }
    }

    public UndoResult undo(UndoRequest request, OperationContext context) {
        Instant started = ctx.now();
        AuditLog.Entry base = AuditLog.Entry.start(started, context, "restore:undo");
        try {
            Target t = target(request);
            base = base.about(null, t.config().name(), null)
                    .target(t.server() + "/" + t.spec().dbname());
            try (DumpEngine engine = t.engine()) {
                Databases databases = engine.databases();
                Found first = find(engine, t);
                if (first.tables() != null) {
                    try (Databases.Lock lock = RestoreLock.take(databases, t.spec())) {
                        Found f = find(engine, t);
                        base = base.about(f.name(), t.config().name(), null);
                        redeem(request, t, f);
                        ctx.audit().write(base.started());
                        UndoResult done = undoTables(engine, t, f, started);
                        ctx.audit()
                                .write(base.ok(
                                        null, "put back tables from " + f.name() + "; kept " + done.currentKeptAs()));
                        return done;
                    }
                }
                if (first.safety() != null) {
                    base = base.about(first.name(), t.config().name(), null);
                    redeem(request, t, first);
                    ctx.audit().write(base.started());
                    return undoClean(t, first, started, context);
                }
                try (Databases.Lock lock = RestoreLock.take(databases, t.spec())) {
                    // again under the lock: another restore may have finished meanwhile
                    Found f = find(engine, t);
                    base = base.about(f.name(), t.config().name(), null);
                    redeem(request, t, f);
                    ctx.audit().write(base.started());
                    Instant now = ctx.now();
                    String keptAs = PreviousCopies.freeName(databases, t.spec(), now);
                    List<Databases.Session> ended =
                            databases.swap(t.spec(), f.name(), keptAs, ReplaceRestore.SESSION_GRACE);
                    ctx.audit().write(base.ok(null, "put back " + f.name() + "; kept " + keptAs));
                    return result(
                            t,
                            f.name(),
                            keptAs,
                            now.plus(t.keep()),
                            ended.stream().map(Databases.Session::describe).toList(),
                            started);
                }
            }
        } catch (LifeboatException e) {
            throw ctx.failed(base, e, context);
        }
    }

    /** A clean restore undone: its safety backup restored in place, after a safety backup of now. */
    private UndoResult undoClean(Target t, Found f, Instant started, OperationContext context) {
        RestoreResult restored = restores.restoreAuthorized(
                new RestoreRequest(f.name(), null, t.config().name(), t.spec().dbname(), RestoreMode.CLEAN, null),
                context);
        return result(t, f.name(), restored.previous(), null, List.of(), started);
    }

    private void redeem(UndoRequest request, Target t, Found f) {
        Confirmations.requireToken(
                request.confirmToken(),
                "undoing the restore of '" + t.spec().dbname() + "' replaces the database it holds now;"
                        + " it needs a confirmation token",
                Confirmations.PLAN_FIRST);
        ctx.confirmations().redeem(request.confirmToken(), binding(t, f));
    }

    /** What an undo on {@code t} came to, timed from {@code started}. */
    private UndoResult result(
            Target t, String restoredFrom, String keptAs, Instant expires, List<String> ended, Instant started) {
        return new UndoResult(
                t.config().name(),
                t.server(),
                t.spec().dbname(),
                restoredFrom,
                keptAs,
                expires,
                ended,
                Duration.between(started, ctx.now()).toMillis());
    }

    private record Target(DatabaseConfig config, ConnectionSpec spec, DumpEngine engine, Duration keep) {
        String server() {
            return spec.host() + ":" + spec.port();
        }
    }

    /**
     * What undo puts back: a kept copy (a replace's) or a safety backup (a clean restore's).
     *
     * @param copy the kept copy, or null
     * @param safety the safety backup, or null
     * @param tables the tables a selective restore kept, or null
     * @param all every kept copy, newest first, expired ones too
     * @param expiresAt when undo stops offering it
     */
    private record Found(
            PreviousCopy copy, Manifest safety, KeptTables tables, List<PreviousCopy> all, Instant expiresAt) {
        String name() {
            return copy != null ? copy.name() : tables != null ? tables.schema() : safety.id();
        }

        Instant at() {
            return copy != null ? copy.keptAt() : tables != null ? tables.restoredAt() : safety.createdAt();
        }
    }

    private Target target(UndoRequest request) {
        if (request.database() == null || request.database().isBlank()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "no database given: undo needs the configured database whose restore is undone",
                    "name one of: " + String.join(", ", ctx.config().databases().keySet()));
        }
        DatabaseConfig config = ctx.config().database(request.database().trim());
        String dbname = request.targetDbname() == null || request.targetDbname().isBlank()
                ? config.dbname()
                : request.targetDbname().trim();
        ConnectionSpec spec = ctx.passwords().connect(config).withDatabase(dbname);
        return new Target(config, spec, ctx.engine(config), config.keepPrevious());
    }

    /**
     * The state before the newest restore over the target, if undo may still bring it back: the newer
     * of the newest kept copy and the newest safety backup, unexpired; NOT_FOUND saying what there is
     * otherwise.
     */
    private Found find(DumpEngine engine, Target t) {
        Databases databases = engine.databases();
        List<PreviousCopy> all = PreviousCopies.of(databases, t.spec(), t.config());
        Found tables = keptTables(engine, t, all);
        if (tables != null) {
            return tables;
        }
        Optional<Manifest> safety = SafetyBackups.newest(
                ctx, t.config().name(), t.server() + "/" + t.spec().dbname());
        String where = "'" + t.spec().dbname() + "' on " + t.server();
        Instant now = ctx.now();
        if (safety.isPresent()
                && (all.isEmpty() || safety.get().createdAt().isAfter(all.get(0).keptAt()))) {
            Instant expires = safety.get().createdAt().plus(t.keep());
            if (!now.isBefore(expires)) {
                throw new LifeboatException(
                        ErrorCode.NOT_FOUND,
                        "the safety backup taken before the last clean restore of " + where + ", "
                                + safety.get().id() + ", is older than keep_previous (" + Durations.text(t.keep())
                                + "); undo only brings back the state of a recent restore",
                        "it is an ordinary backup: restore it like any other if it is what you want ("
                                + Remedy.LIST_BACKUPS + ")");
            }
            return new Found(null, safety.get(), null, all, expires);
        }
        if (all.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "no previous copy of " + where + " is kept: no restore replaced it, or keep_previous was 0, or"
                            + " the copy was dropped",
                    "restore an earlier backup instead (" + Remedy.LIST_BACKUPS + ")");
        }
        PreviousCopy newest = all.get(0);
        if (newest.expired(now)) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "the previous copy of " + where + ", '" + newest.name() + "', expired at " + newest.expiresAt()
                            + " (keep_previous " + Durations.text(t.keep())
                            + "); undo only brings back an unexpired copy",
                    "the copy still exists until prune drops it: inspect it with psql and rename it back by hand"
                            + " if it is what you want, or restore an earlier backup (" + Remedy.LIST_BACKUPS + ")");
        }
        if (!databases.profile(t.spec()).isPresent()) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "the database " + where + " does not exist, so there is nothing to swap with '" + newest.name()
                            + "'",
                    "rename the copy back by hand: ALTER DATABASE \"" + newest.name() + "\" RENAME TO \""
                            + t.spec().dbname() + "\"");
        }
        return new Found(newest, null, null, all, newest.expiresAt());
    }

    /**
     * The newest selective restore's kept tables when that restore is newer than the last whole one
     * (a kept copy or a safety backup); null when there is none or it is older. NOT_FOUND when it has
     * expired.
     */
    private Found keptTables(DumpEngine engine, Target t, List<PreviousCopy> copies) {
        if (!engine.databases().profile(t.spec()).isPresent()) {
            return null;
        }
        List<KeptTables> kept = KeptTables.in(engine, t.spec());
        if (kept.isEmpty()) {
            return null;
        }
        KeptTables newest = kept.get(0);
        Optional<Manifest> safety = SafetyBackups.newest(
                ctx, t.config().name(), t.server() + "/" + t.spec().dbname());
        if ((!copies.isEmpty() && copies.get(0).keptAt().isAfter(newest.restoredAt()))
                || (safety.isPresent() && safety.get().createdAt().isAfter(newest.restoredAt()))) {
            return null;
        }
        if (newest.expired(ctx.now())) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "the tables the last selective restore of '" + t.spec().dbname() + "' replaced, kept in schema "
                            + newest.schema() + ", expired at " + newest.expiresAt()
                            + "; undo only brings back unexpired ones",
                    "they are still there until prune drops them: move them back by hand if they are what you"
                            + " want (ALTER TABLE ... SET SCHEMA), or restore an earlier backup ("
                            + Remedy.LIST_BACKUPS + ")");
        }
        return new Found(null, null, newest, copies, newest.expiresAt());
    }

    private static PlanBinding binding(Target t, Found f) {
        return new PlanBinding(
                "undo",
                f.name(),
                f.at().toString(),
                t.server() + "/" + t.spec().dbname(),
                f.safety() != null ? "undo-clean" : f.tables() != null ? "undo-tables" : "undo");
    }
}
