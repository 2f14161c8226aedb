package dev.lifeboat.core.engine.postgres;

import java.util.HashSet;
import java.util.Set;

/**
 * The names a libpq tool's environment may hold, for tests outside this package that look at a real
 * child's environment: the allow-list itself (so a test does not keep a second copy that drifts from
 * it) plus what {@link PgClientEnvironment} states on its own.
 */
public final class ChildVariables {
    /** The connection and the messages' language, which every child is given explicitly. */
    private static final Set<String> STATED =
            Set.of("LC_MESSAGES", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGAPPNAME", "PGSSLMODE", "PGPASSFILE");

    private ChildVariables() {}

    /** Every variable a child may be given. */
    public static Set<String> all() {
        Set<String> all = new HashSet<>(PgClientEnvironment.ALLOWED);
        all.addAll(PgClientEnvironment.KEPT_PG_VARIABLES);
        all.addAll(STATED);
        return Set.copyOf(all);
    }
}
