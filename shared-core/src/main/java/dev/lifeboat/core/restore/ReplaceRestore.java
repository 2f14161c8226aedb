package dev.lifeboat.core.restore;

import dev.lifeboat.core.archive.BackgroundHash;
import dev.lifeboat.core.archive.VerifiedArchive;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.RestoreOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore that replaces an existing database, step by step: lock the target against a second
 * restore, clear shadows a killed restore left, restore into a shadow beside the target with the
 * target's owner and encoding, carry over what the dump does not hold (settings, grants, comment),
 * swap the names in one transaction, and keep the old database for undo (or drop it when {@code
 * keep_previous} is 0). Until the swap the target is not touched; any failure before it drops the
 * shadow, and a failed swap leaves the names as they were.
 */
final class ReplaceRestore {
    private static final Logger LOG = LoggerFactory.getLogger(ReplaceRestore.class);

    /** How long the swap waits for ended sessions to go before it gives up and puts everything back. */
    static final Duration SESSION_GRACE = Duration.ofSeconds(10);

    private final VerifiedArchive archives;
    private final StreamedRestore streamed;
    private final Supplier<Instant> clock;
    private final java.util.function.Function<RestoreTarget.Resolved, String> keptRoles;

    /**
     * @param streamed restores a one-job replace from the store without a spool file, when it applies
     * @param keptRoles reads the roles kept with the backup (for a restore that creates missing ones)
     */
    ReplaceRestore(
            VerifiedArchive archives,
            StreamedRestore streamed,
            Supplier<Instant> clock,
            java.util.function.Function<RestoreTarget.Resolved, String> keptRoles) {
        this.archives = archives;
        this.streamed = streamed;
        this.clock = clock;
        this.keptRoles = keptRoles;
    }

    /**
     * What the replace did.
     *
     * @param bytes the archive bytes verified and restored
     * @param previous the name the replaced database is kept under, or null when it was dropped
     * @param previousExpiresAt when that copy expires, or null
     * @param sessionsEnded the sessions the swap ended
     * @param notes what else a person should know (leftovers cleared, a kept copy that could not be dropped)
     */
    record Replaced(
            long bytes,
            String previous,
            Instant previousExpiresAt,
            List<String> sessionsEnded,
            List<String> notes,
            long swapMillis) {}

    Replaced run(RestoreTarget.Resolved r, BackgroundHash hash, OperationContext context) {
        DumpEngine engine = r.engine();
        Databases databases = engine.databases();
        ReplaceNames names = new ReplaceNames(r.dbname());
        List<String> notes = new ArrayList<>();
        try (Databases.Lock lock = RestoreLock.take(databases, r.spec())) {
            Timeline.mark("restore: target locked");
            boolean leftovers = clearShadows(databases, r, names, notes);
            // read again under the lock: the plan's view may be minutes old
            Databases.DatabaseProfile profile = databases
                    .profile(r.spec())
                    .orElseThrow(() -> new LifeboatException(
                            ErrorCode.NOT_FOUND,
                            "the target database '" + r.dbname() + "' on " + r.serverText()
                                    + " disappeared since the plan; nothing was restored",
                            "restore into a new database instead"));
            if (leftovers && !profile.allowConnections()) {
                profile = RestoreLock.reopenAfterKilledSwap(databases, r.spec(), profile, notes);
            }
            Databases.DatabaseProfile like = profile;
            ConnectionSpec shadow = r.spec().withDatabase(names.newShadow());
            engine.prepareRestore();
            Manifest m = r.record().manifest();
            // the shadow is thrown away if the stored bytes turn out damaged, so pg_restore starts at
            // once and the hash of a local file runs alongside it
            boolean[] live = new boolean[1];
            RoleSetup[] roles = new RoleSetup[1];
            ShadowCreation early = null;
            long bytes;
            try {
                if (hash == null && streamed.applies(r)) {
                    // from the store straight into pg_restore (one job, or the data in one job and the
                    // rest in several); the swap waits for the verdict
                    try (StreamedRestore.Prepared p = streamed.prepare(r, context)) {
                        roles[0] = p.roles();
                        roles[0].createRoles();
                        RestoreOptions o = roles[0].apply(options(r));
                        bytes = streamed.read(r, context, "the target database was not touched", in -> {
                            context.progress().report(0, -1, "restoring beside " + r.dbname());
                            restoreShadow(databases, shadow, like, live, () -> p.restore(in, shadow, o));
                            return m.sizeBytes();
                        });
                        notes.addAll(p.notes());
                    }
                } else {
                    // without a background hash the archive is read in line first (decoded into a spool,
                    // or hashed): the shadow is created meanwhile
                    early = hash == null ? ShadowCreation.start(databases, shadow, like) : null;
                    ShadowCreation created = early;
                    bytes = archives.readAlongsideHash(
                            r.record(), context, "the target database was not touched", hash, archive -> {
                                if (created != null) {
                                    created.await();
                                    live[0] = true;
                                }
                                context.progress().report(0, -1, "restoring beside " + r.dbname());
                                roles[0] = RoleSetup.prepare(
                                        r,
                                        archive,
                                        DatabaseRestore.tableOfContents(engine, archive),
                                        null,
                                        () -> keptRoles.apply(r));
                                roles[0].createRoles();
                                RestoreOptions o = roles[0].apply(options(r));
                                restoreShadow(databases, shadow, like, live, () -> engine.restore(archive, shadow, o));
                                return m.sizeBytes();
                            });
                }
            } catch (LifeboatException e) {
                if (!live[0] && early != null) {
                    live[0] = early.settle(); // created while the read failed: it is dropped below
                }
                if (!live[0]) {
                    throw roles[0] == null ? e : roles[0].undo(e);
                }
                String targetState = e.getMessage().contains("was not touched")
                        ? "" // the read's failure (damaged, unreadable, cancelled) said so already
                        : "; the target '" + r.dbname() + "' was not touched";
                LifeboatException dropped = dropShadowAfter(engine, shadow, e, targetState);
                throw roles[0] == null ? dropped : roles[0].undo(dropped);
            }
            notes.addAll(roles[0].notes());
            List<Databases.Session> ended;
            try {
                context.cancel().throwIfCancelled();
                String keptAs = PreviousCopies.freeName(databases, r.spec(), clock.get());
                long swapStart = System.nanoTime();
                ended = databases.swap(r.spec(), shadow.dbname(), keptAs, SESSION_GRACE);
                long swapMillis = (System.nanoTime() - swapStart) / 1_000_000;
                Timeline.mark("restore: swapped (" + swapMillis + " ms)");
                return finish(engine, r, keptAs, bytes, ended, notes, swapMillis);
            } catch (LifeboatException e) {
                if (swapped(databases, r, names)) {
                    // the commit went through though its answer was lost: the restore is done
                    throw new LifeboatException(
                            e.code(),
                            e.getMessage() + "; the swap did commit: '" + r.dbname()
                                    + "' holds the backup now and the old database is kept beside it",
                            "check with psql; undo puts the old database back",
                            e);
                }
                throw roles[0].undo(
                        dropShadowAfter(engine, shadow, e, "; the target '" + r.dbname() + "' was left as it was"));
            }
        }
    }

    /**
     * Creates the shadow like the target ({@code live} from then on), unless it was created while the
     * archive was read, and restores into it.
     */
    private static void restoreShadow(
            Databases databases,
            ConnectionSpec shadow,
            Databases.DatabaseProfile profile,
            boolean[] live,
            Runnable restore) {
        if (!live[0]) {
            databases.createLike(shadow, profile);
            Timeline.mark("restore: shadow database created");
            live[0] = true;
        }
        restore.run();
        databases.carryOver(profile, shadow);
        Timeline.mark("restore: settings and grants carried over");
    }

    private static RestoreOptions options(RestoreTarget.Resolved r) {
        return new RestoreOptions(false, r.jobs());
    }

    private Replaced finish(
            DumpEngine engine,
            RestoreTarget.Resolved r,
            String keptAs,
            long bytes,
            List<Databases.Session> ended,
            List<String> notes,
            long swapMillis) {
        List<String> endedText = ended.stream().map(Databases.Session::describe).toList();
        if (r.keepPrevious().isZero()) {
            try {
                engine.dropDatabase(r.spec().withDatabase(keptAs));
                return new Replaced(bytes, null, null, endedText, List.copyOf(notes), swapMillis);
            } catch (LifeboatException e) {
                LOG.warn("the replaced database {} could not be dropped: {}", keptAs, e.getMessage());
                notes.add("keep_previous is 0 but the replaced database '" + keptAs + "' could not be dropped ("
                        + e.getMessage() + "); drop it by hand once you no longer need it");
                return new Replaced(bytes, keptAs, null, endedText, List.copyOf(notes), swapMillis);
            }
        }
        Instant keptAt = new ReplaceNames(r.dbname()).keptAt(keptAs).orElseThrow();
        // the expiry counts from the name's time, as every later listing will
        return new Replaced(bytes, keptAs, keptAt.plus(r.keepPrevious()), endedText, List.copyOf(notes), swapMillis);
    }

    /** Whether a kept copy from the last minute exists: the swap committed. */
    private boolean swapped(Databases databases, RestoreTarget.Resolved r, ReplaceNames names) {
        try {
            Instant now = clock.get();
            return databases.namesStartingWith(r.spec(), names.prefix()).stream()
                    .map(names::keptAt)
                    .flatMap(java.util.Optional::stream)
                    .anyMatch(at -> at.isAfter(now.minusSeconds(60)));
        } catch (LifeboatException unreachable) {
            return false;
        }
    }

    /**
     * Drops shadows of this target: with the lock held no other restore into it is running, so any
     * shadow is a leftover of one that was killed.
     */
    private static boolean clearShadows(
            Databases databases, RestoreTarget.Resolved r, ReplaceNames names, List<String> notes) {
        boolean any = false;
        for (String name : databases.namesStartingWith(r.spec(), names.prefix())) {
            if (names.isShadow(name)) {
                r.engine().dropDatabase(r.spec().withDatabase(name));
                LOG.info("dropped {}, left by a restore into {} that did not finish", name, r.dbname());
                notes.add("dropped '" + name + "', the partial copy of a restore into '" + r.dbname()
                        + "' that was stopped before it finished");
                any = true;
            }
        }
        return any;
    }

    /** {@code cause} with where things are now, after the shadow was dropped (or why it could not be). */
    private static LifeboatException dropShadowAfter(
            DumpEngine engine, ConnectionSpec shadow, LifeboatException cause, String targetState) {
        LifeboatException dropFailure = dropAfterFailure(engine, shadow);
        if (dropFailure != null) {
            return new LifeboatException(
                    cause.code(),
                    cause.getMessage() + targetState + "; the partial copy '" + shadow.dbname()
                            + "' could not be dropped: " + dropFailure.getMessage(),
                    "drop it by hand (DROP DATABASE \"" + shadow.dbname()
                            + "\"), or let the next restore into this database remove it",
                    cause);
        }
        return cause.followedBy(targetState + "; the partial copy '" + shadow.dbname() + "' was removed");
    }

    /**
     * Drops {@code spec}'s database, which a failed or cancelled restore made (the interrupt is
     * cleared first: a cancelled restore must still be able to drop it); why it could not, or null.
     */
    static LifeboatException dropAfterFailure(DumpEngine engine, ConnectionSpec spec) {
        Thread.interrupted();
        try {
            engine.dropDatabase(spec);
            return null;
        } catch (LifeboatException dropFailure) {
            return dropFailure;
        }
    }
}
