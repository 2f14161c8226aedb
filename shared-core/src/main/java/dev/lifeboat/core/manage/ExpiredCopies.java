package dev.lifeboat.core.manage;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.restore.KeptTables;
import dev.lifeboat.core.restore.PreviousCopies;
import dev.lifeboat.core.restore.PreviousCopy;
import dev.lifeboat.core.restore.ReplaceNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The previous copies that replacing restores kept for undo and whose keep_previous has passed, on
 * the servers of the configured databases (and the schemas in which selective restores kept the
 * tables they replaced, in the configured databases themselves): prune drops them with the backups it removes. A server
 * that cannot be reached is left out (and said so in the plan), so prune still works with a database
 * down.
 */
final class ExpiredCopies {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredCopies.class);

    private final LifeboatContext ctx;

    ExpiredCopies(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /** What was found, and the databases whose servers could not be asked. */
    record Found(List<PrunePlan.ExpiredCopy> copies, List<String> unchecked) {}

    Found find(String database) {
        List<PrunePlan.ExpiredCopy> out = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        Instant now = ctx.now();
        for (DatabaseConfig db : ctx.config().databases().values()) {
            if (database != null && !database.equals(db.name())) {
                continue;
            }
            try (DumpEngine engine = ctx.engine(db)) {
                ConnectionSpec target = ctx.passwords().connect(db);
                for (PreviousCopy c : PreviousCopies.of(engine.databases(), target, db)) {
                    if (c.expired(now)) {
                        out.add(new PrunePlan.ExpiredCopy(db.name(), c.server(), c.target(), c.name(), c.expiresAt()));
                    }
                }
                if (engine.databases().profile(target).isPresent()) {
                    for (KeptTables k : KeptTables.in(engine, target)) {
                        if (k.expired(now)) {
                            out.add(new PrunePlan.ExpiredCopy(
                                    db.name(),
                                    target.host() + ":" + target.port(),
                                    target.dbname(),
                                    k.schema(),
                                    k.expiresAt(),
                                    true));
                        }
                    }
                }
            } catch (LifeboatException e) {
                LOG.info("prune cannot look for expired previous copies of {}: {}", db.name(), e.getMessage());
                unchecked.add(db.name());
            }
        }
        return new Found(List.copyOf(out), List.copyOf(unchecked));
    }

    /** Drops one, under its target's restore lock so that no undo is putting it back meanwhile. */
    void drop(PrunePlan.ExpiredCopy copy) {
        DatabaseConfig db = ctx.config().database(copy.database());
        try (DumpEngine engine = ctx.engine(db)) {
            ConnectionSpec target = ctx.passwords().connect(db).withDatabase(copy.target());
            Databases databases = engine.databases();
            Optional<Databases.Lock> lock = databases.tryLock(target, new ReplaceNames(copy.target()).prefix());
            if (lock.isEmpty()) {
                throw new LifeboatException(
                        ErrorCode.BUSY,
                        "a restore or undo of '" + copy.target() + "' is running; '" + copy.name()
                                + "' was not dropped",
                        "prune again once it has finished");
            }
            try (Databases.Lock held = lock.get()) {
                if (copy.keptTables()) {
                    engine.dropSchema(target, copy.name());
                } else {
                    engine.dropDatabase(target.withDatabase(copy.name()));
                }
            }
        }
    }
}
