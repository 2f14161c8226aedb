package dev.lifeboat.core.manage;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.DumpEngine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The databases killed runs left on the configured servers: a replacing restore's shadow and a
 * restore drill's scratch database. Each is written under a server-wide lock its run holds (the
 * target's name for a shadow, the scratch database's own name for a drill), so a database whose lock
 * is free has no writer: it is a leftover, whatever its age. A server that cannot be reached is
 * skipped (gc still does the rest).
 */
final class LeftoverDatabases {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverDatabases.class);
    private static final Pattern SHADOW = Pattern.compile("(.+)__restoring_[0-9a-f]{6}");
    private static final Pattern DRILL = Pattern.compile("lifeboat_drill_\\d+_[0-9a-f]{8}");

    private final LifeboatContext ctx;

    LeftoverDatabases(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    List<LeftoverPlan.Item> find() {
        List<LeftoverPlan.Item> items = new ArrayList<>();
        Set<String> servers = new HashSet<>();
        for (DatabaseConfig db : ctx.config().databases().values()) {
            if (!servers.add(db.host() + ":" + db.port() + ":" + db.user())) {
                continue;
            }
            try (DumpEngine engine = ctx.engine(db)) {
                ConnectionSpec server = ctx.passwords().connect(db);
                Databases databases = engine.databases();
                for (String name : databases.namesStartingWith(server, "")) {
                    String kind = kind(name);
                    if (kind != null && unlocked(databases, server, name)) {
                        items.add(new LeftoverPlan.Item(kind, "database:" + db.name(), name, 0, null, why(kind)));
                    }
                }
            } catch (LifeboatException e) {
                LOG.info("gc skips the databases on {}:{}: {}", db.host(), db.port(), e.getMessage());
            }
        }
        return items;
    }

    /** Drops a leftover database, under its lock so no run can start writing it meanwhile. */
    void remove(LeftoverPlan.Item item) {
        DatabaseConfig db = ctx.config().database(item.where().substring("database:".length()));
        try (DumpEngine engine = ctx.engine(db)) {
            ConnectionSpec server = ctx.passwords().connect(db);
            Databases databases = engine.databases();
            Optional<Databases.Lock> lock = databases.tryLock(server, lockName(item.name()));
            if (lock.isEmpty()) {
                LOG.info("{} is in use again; gc leaves it", item.name());
                return;
            }
            try (Databases.Lock held = lock.get()) {
                engine.dropDatabase(server.withDatabase(item.name()));
                Matcher shadow = SHADOW.matcher(item.name());
                if (shadow.matches()) {
                    reopenTarget(databases, server.withDatabase(shadow.group(1)));
                }
            }
        }
    }

    /**
     * A restore killed inside its swap leaves the target refusing connections beside its shadow: with
     * the shadow gone, the target takes connections again.
     */
    private static void reopenTarget(Databases databases, ConnectionSpec target) {
        databases.profile(target).filter(p -> !p.allowConnections()).ifPresent(p -> {
            databases.allowConnections(target, true);
            LOG.info(
                    "{} refused connections, as a restore killed in its swap leaves it; allowed again",
                    target.dbname());
        });
    }

    private static String kind(String name) {
        if (SHADOW.matcher(name).matches()) {
            return LeftoverPlan.RESTORE_SHADOW;
        }
        if (DRILL.matcher(name).matches()) {
            return LeftoverPlan.DRILL_DATABASE;
        }
        return null;
    }

    /** The lock its writer holds: a shadow's target (by its name's prefix), a drill's own name. */
    private static String lockName(String name) {
        Matcher shadow = SHADOW.matcher(name);
        return shadow.matches() ? shadow.group(1) : name;
    }

    private static boolean unlocked(Databases databases, ConnectionSpec server, String name) {
        Optional<Databases.Lock> lock = databases.tryLock(server, lockName(name));
        if (lock.isEmpty()) {
            return false;
        }
        lock.get().close();
        return true;
    }

    private static String why(String kind) {
        return kind.equals(LeftoverPlan.RESTORE_SHADOW)
                ? "the partial copy of a replacing restore that was stopped; no restore into its target is running"
                : "the scratch database of a restore drill that was stopped; no drill holds it";
    }
}
