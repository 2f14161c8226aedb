package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.engine.ConnectionSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment a libpq tool runs with. It starts from the caller's environment minus every PG*
 * variable (an inherited PGDATABASE, PGOPTIONS or PGSERVICE would silently change what is dumped),
 * keeps the TLS settings that only say how to verify, and states the connection explicitly. The
 * password goes into a 0600 passfile that only this child reads and that is deleted when it ends
 * ({@link Passfiles}): never into argv, and not into the environment either (where descendants and
 * /proc/PID/environ readers would see it).
 */
final class PgClientEnvironment {
    /** The libpq variables that only say how to verify or wait, never which database or login. */
    static final Set<String> KEPT_PG_VARIABLES = Set.of(
            "PGSSLROOTCERT",
            "PGSSLCERT",
            "PGSSLKEY",
            "PGSSLCRL",
            "PGSSLCRLDIR",
            "PGSSLSNI",
            "PGSSLCERTMODE",
            "PGSSLMINPROTOCOLVERSION",
            "PGSSLMAXPROTOCOLVERSION",
            "PGGSSENCMODE",
            "PGKRBSRVNAME",
            "PGGSSLIB",
            "PGCONNECT_TIMEOUT",
            "PGSYSCONFDIR");

    private PgClientEnvironment() {}

    /** The caller's environment without PG* variables, with English messages so stderr can be classified. */
    static Map<String, String> base(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>();
        environment.forEach((k, v) -> {
            if (!k.startsWith("PG") || KEPT_PG_VARIABLES.contains(k)) {
                env.put(k, v);
            }
        });
        env.remove("LC_ALL");
        env.remove("LANGUAGE");
        env.put("LC_MESSAGES", "C");
        return env;
    }

    /**
     * The environment to reach {@code spec}, and the temporary passfile it names (null when none was
     * written into {@code passfiles}). The caller deletes the passfile when the child ends, via {@link
     * Prepared#cleanup()}.
     */
    static Prepared prepare(ConnectionSpec spec, Map<String, String> environment, Passfiles passfiles) {
        Map<String, String> env = base(environment);
        env.put("PGHOST", spec.host());
        env.put("PGPORT", Integer.toString(spec.port()));
        env.put("PGUSER", spec.user());
        env.put("PGDATABASE", spec.dbname());
        env.put("PGAPPNAME", "lifeboat");
        env.putIfAbsent("PGCONNECT_TIMEOUT", "10");
        if (spec.sslmode() != null) {
            env.put("PGSSLMODE", spec.sslmode());
        }
        Path temp = null;
        if (spec.password() != null) {
            temp = passfiles.write(spec.password().reveal());
            env.put("PGPASSFILE", temp.toString());
        } else if (spec.passfile() != null) {
            env.put("PGPASSFILE", spec.passfile().toString());
        } else if (environment.containsKey("PGPASSFILE")) {
            // no password configured: let libpq find one where the user told it to (else ~/.pgpass)
            env.put("PGPASSFILE", environment.get("PGPASSFILE"));
        }
        return new Prepared(env, temp, passfiles);
    }

    /**
     * @param env the child's whole environment
     * @param passfile the temporary passfile to delete when the child ends, or null
     * @param passfiles where it was written
     */
    record Prepared(Map<String, String> env, Path passfile, Passfiles passfiles) {
        Runnable cleanup() {
            return () -> {
                if (passfile != null) {
                    passfiles.delete(passfile);
                }
            };
        }
    }
}
