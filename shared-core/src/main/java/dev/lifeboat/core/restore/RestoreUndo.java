package dev.lifeboat.core.restore;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.Durations;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.DumpEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Undoes the last restore that replaced a database: the newest unexpired copy it kept takes the
 * target's place again by the same swap, and the database it replaces is kept in turn (so the undo
 * can be undone). Destructive: plan, then the plan's token.
 */
public final class RestoreUndo {
    private final LifeboatContext ctx;

    public RestoreUndo(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /** Undoes with the token, or answers with the plan (and its token) without one. */
    public Outcome<UndoPlan, UndoResult> request(UndoRequest request, OperationContext context) {
        if (request.confirmToken() == null || request.confirmToken().isBlank()) {
            return Outcome.confirmationRequired(plan(request));
        }
        return Outcome.done(undo(request, context));
    }

    public UndoPlan plan(UndoRequest request) {
        Target t = target(request);
        try (DumpEngine engine = t.engine()) {
            Found f = find(engine.databases(), t);
            List<Databases.Session> sessions = engine.databases().sessions(t.spec());
            Confirmation confirmation = ctx.issue(binding(t, f.copy()));
            String currentKeptAs = new ReplaceNames(t.spec().dbname()).prefix() + ReplaceNames.KEPT
                    + "<time of the swap, UTC yyyyMMddHHmmss>";
            String summary = "Undo the restore that replaced '" + t.spec().dbname() + "' on " + t.server()
                    + ": put back '"
                    + f.copy().name() + "' (the database as it was before that restore, kept at "
                    + f.copy().keptAt() + ", expires " + f.copy().expiresAt() + ") under the name '"
                    + t.spec().dbname() + "'. The current '" + t.spec().dbname() + "' is kept as '" + currentKeptAs
                    + "' for " + Durations.text(t.keep()) + ", so this undo can be undone too."
                    + (sessions.isEmpty()
                            ? ""
                            : " " + sessions.size() + " connected session(s) will be ended at the swap.");
            return new UndoPlan(
                    t.config().name(),
                    t.server(),
                    t.spec().dbname(),
                    f.copy().name(),
                    f.copy().keptAt(),
                    f.copy().expiresAt(),
                    currentKeptAs,
                    sessions.stream().map(Databases.Session::describe).toList(),
                    f.all(),
                    confirmation,
                    summary);
        }
    }

    /** The copies replacing restores kept of {@code database} (its dbname, or {@code targetDbname}), newest first. */
    public List<PreviousCopy> copies(String database, String targetDbname) {
        Target t = target(new UndoRequest(database, targetDbname, null));
        try (DumpEngine engine = t.engine()) {
            return PreviousCopies.of(engine.databases(), t.spec(), t.config());
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
                try (AutoCloseable lock = RestoreLock.take(databases, t.spec())) {
                    Found f = find(databases, t);
                    base = base.about(f.copy().name(), t.config().name(), null);
                    if (request.confirmToken() == null || request.confirmToken().isBlank()) {
                        throw new LifeboatException(
                                ErrorCode.CONFIRMATION_REQUIRED,
                                "undoing the restore of '" + t.spec().dbname() + "' replaces the database it holds now;"
                                        + " it needs a confirmation token",
                                "make a plan first (" + Remedy.PLAN + ") and pass its token (" + Remedy.CONFIRM + ")");
                    }
                    ctx.confirmations().redeem(request.confirmToken(), binding(t, f.copy()));
                    context.cancel().throwIfCancelled();
                    ctx.audit().write(base.started());
                    Instant now = ctx.now();
                    String keptAs = PreviousCopies.freeName(databases, t.spec(), now);
                    List<Databases.Session> ended =
                            databases.swap(t.spec(), f.copy().name(), keptAs, ReplaceRestore.SESSION_GRACE);
                    ctx.audit().write(base.ok(null, "put back " + f.copy().name() + "; kept " + keptAs));
                    return new UndoResult(
                            t.config().name(),
                            t.server(),
                            t.spec().dbname(),
                            f.copy().name(),
                            keptAs,
                            now.plus(t.keep()),
                            ended.stream().map(Databases.Session::describe).toList(),
                            Duration.between(started, ctx.now()).toMillis());
                }
            }
        } catch (LifeboatException e) {
            throw ctx.failed(base, e, context);
        } catch (Exception e) {
            throw new LifeboatException(ErrorCode.INTERNAL, "releasing the restore lock failed: " + e, null, e);
        }
    }

    private record Target(DatabaseConfig config, ConnectionSpec spec, DumpEngine engine, Duration keep) {
        String server() {
            return spec.host() + ":" + spec.port();
        }
    }

    private record Found(PreviousCopy copy, List<PreviousCopy> all) {}

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
        return new Target(config, spec, ctx.engine(config), PreviousCopies.keepPrevious(config));
    }

    /** The newest kept copy, if it has not expired; NOT_FOUND saying what there is otherwise. */
    private Found find(Databases databases, Target t) {
        List<PreviousCopy> all = PreviousCopies.of(databases, t.spec(), t.config());
        String where = "'" + t.spec().dbname() + "' on " + t.server();
        if (all.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "no previous copy of " + where + " is kept: no restore replaced it, or keep_previous was 0, or"
                            + " the copy was pruned",
                    "restore an earlier backup instead (" + Remedy.LIST_BACKUPS + ")");
        }
        PreviousCopy newest = all.get(0);
        if (newest.expired(ctx.now())) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "the previous copy of " + where + ", '" + newest.name() + "', expired at " + newest.expiresAt()
                            + " (keep_previous " + Durations.text(t.keep())
                            + "); undo only brings back an unexpired copy",
                    "the copy still exists until it is dropped: inspect it with psql and rename it back by hand"
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
        return new Found(newest, all);
    }

    private static PlanBinding binding(Target t, PreviousCopy copy) {
        return new PlanBinding(
                "undo",
                copy.name(),
                copy.keptAt().toString(),
                t.server() + "/" + t.spec().dbname(),
                "undo");
    }
}
