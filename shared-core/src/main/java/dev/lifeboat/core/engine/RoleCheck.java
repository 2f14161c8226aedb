package dev.lifeboat.core.engine;

import java.util.List;

/**
 * How a server stands towards the roles a restore names: which do not exist there, and which exist
 * but cannot be given objects by the restoring login.
 *
 * @param missing the roles that do not exist on the server, sorted
 * @param notAssumable the roles that exist but that the login is neither a superuser over nor a
 *     member of (so {@code ALTER ... OWNER TO} them fails), sorted
 * @param superuser whether the login is a superuser (it may create roles with every attribute
 *     pg_dumpall writes)
 */
public record RoleCheck(List<String> missing, List<String> notAssumable, boolean superuser) {
    public RoleCheck {
        missing = List.copyOf(missing);
        notAssumable = List.copyOf(notAssumable);
    }

    /** A server where every role exists and the login may give objects to each: an engine without roles. */
    public static final RoleCheck ALL_THERE = new RoleCheck(List.of(), List.of(), true);
}
