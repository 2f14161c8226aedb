package dev.lifeboat.core.engine;

import java.util.List;

/**
 * The cluster roles one database needs on another server, as a SQL script without passwords: the
 * owners of its objects, the grantees of its privileges, and the roles those are members of.
 *
 * @param script what {@code psql -f} runs to create them (statements about existing roles fail
 *     harmlessly, as with any pg_dumpall script)
 * @param roles their names, sorted
 */
public record RolesDump(String script, List<String> roles) {
    public RolesDump {
        roles = List.copyOf(roles);
    }
}
