package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.engine.ConnectionSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment a libpq tool runs with: an allow-list, not the caller's environment. Lifeboat's own
 * environment holds secrets a tool has no business seeing (the variable a database's
 * {@code password_env} names, store credentials, every {@code AWS_*}, {@code GOOGLE_*},
 * {@code AZURE_*} and {@code LIFEBOAT_*}), and a child's environment is readable by its descendants
 * and by anyone who may read {@code /proc/PID/environ}. So a child gets only what finds and runs the
 * tool and what libpq reads: {@link #ALLOWED} and {@link #KEPT_PG_VARIABLES} from the caller,
 * English messages (its stderr is classified by text), and the connection stated explicitly (an
 * inherited PGDATABASE, PGOPTIONS or PGSERVICE would silently change what is dumped). The password
 * goes into a 0600 passfile that only this child reads and that is deleted when it ends ({@link
 * Passfiles}): never into argv, and not into the environment either.
 */
final class PgClientEnvironment {
    /**
     * What runs the tool and where libpq looks for its files: PATH (pg_wrapper and scripts run other
     * programs), HOME (libpq's ~/.pgpass and ~/.postgresql/root.crt), TMPDIR, TZ, the locale (but see
     * {@link #base}), LD_LIBRARY_PATH (a pg_bin_dir build whose libpq is not on the system path), the
     * Kerberos ticket cache and configuration (GSSAPI login), OpenSSL's trust store (sslrootcert=system).
     * Paths and settings only: none of these holds a secret itself.
     */
    static final Set<String> ALLOWED = Set.of(
            "PATH",
            "HOME",
            "TMPDIR",
            "TZ",
            "LANG",
            "LC_CTYPE",
            "LC_COLLATE",
            "LC_NUMERIC",
            "LC_TIME",
            "LC_MONETARY",
            "LD_LIBRARY_PATH",
            "KRB5CCNAME",
            "KRB5_CONFIG",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR");

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

    /**
     * The allowed part of the caller's environment, with English messages so stderr can be classified:
     * LC_MESSAGES is C, and LC_ALL and LANGUAGE (which would override it) are not passed on.
     */
    static Map<String, String> base(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>();
        environment.forEach((k, v) -> {
            if (v != null && (ALLOWED.contains(k) || KEPT_PG_VARIABLES.contains(k))) {
                env.put(k, v);
            }
        });
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
        if (spec.password() != null) {
            // a password variable that happens to bear an allowed name (password_env: PGSSLKEY) stays out
            String password = spec.password().reveal();
            env.values().removeIf(password::equals);
        }
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
