package dev.lifeboat.core;

import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.postgres.PgDumpEngine;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.store.BackupStores;
import java.time.Clock;
import java.util.Map;

/**
 * The real adapters for a configuration: pg_dump/pg_restore engines, the configured stores (their
 * settings checked first, so a misspelt store option fails before anything runs), the system clock.
 */
final class Wiring {
    private Wiring() {}

    /** {@code env} supplies password variables and the children's environment. */
    static LifeboatContext context(LifeboatConfig config, Map<String, String> env) {
        BackupStores.checkSettings(config); // a misspelt store option fails before anything runs
        return new LifeboatContext(
                config,
                db -> new PgDumpEngine(
                        db == null ? null : db.pgBinDir(),
                        env,
                        config.stateDir().resolve("run")),
                sc -> BackupStores.open(sc, env),
                new PasswordSources(env),
                Clock.systemUTC());
    }
}
