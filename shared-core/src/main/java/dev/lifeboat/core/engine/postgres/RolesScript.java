package dev.lifeboat.core.engine.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code pg_dumpall --roles-only --no-role-passwords} cut down to the roles one database needs: the
 * statements about other roles are dropped (CREATE/ALTER/COMMENT/SECURITY LABEL ... ROLE, and
 * memberships unless both sides are kept), and a membership's {@code GRANTED BY} goes when its
 * grantor is not kept (the restoring role grants it instead). Everything else (settings, comments,
 * psql's {@code \restrict} lines) is kept as pg_dumpall wrote it, so the result is still a script
 * {@code psql -f} runs.
 */
final class RolesScript {
    private RolesScript() {}

    static String keep(String script, Set<String> roles) {
        StringBuilder out = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String kept = line(line, roles);
            if (kept != null) {
                out.append(kept).append('\n');
            }
        }
        // split with -1 leaves an empty last piece for a trailing newline: do not double it
        return out.length() > 0 && !script.endsWith("\n") ? out.substring(0, out.length() - 1) : out.toString();
    }

    /** The line as kept, or null to drop it. */
    private static String line(String line, Set<String> roles) {
        for (String start : List.of("CREATE ROLE ", "ALTER ROLE ", "COMMENT ON ROLE ")) {
            if (line.startsWith(start)) {
                return roles.contains(SqlName.at(line, start.length()).value()) ? line : null;
            }
        }
        if (line.startsWith("SECURITY LABEL FOR ") && line.contains(" ON ROLE ")) {
            SqlName role = SqlName.at(line, line.indexOf(" ON ROLE ") + " ON ROLE ".length());
            return roles.contains(role.value()) ? line : null;
        }
        if (line.startsWith("-- User Config ")) {
            String n = line.substring("-- User Config ".length()).trim();
            return roles.contains(n.startsWith("\"") ? SqlName.at(n, 0).value() : n) ? line : null;
        }
        if (line.startsWith("GRANT ") && line.contains(" TO ")) {
            return grant(line, roles);
        }
        return line;
    }

    /** "GRANT a TO b [WITH ...] [GRANTED BY c];": kept when a and b are, without GRANTED BY unless c is too. */
    private static String grant(String line, Set<String> roles) {
        SqlName granted = SqlName.at(line, "GRANT ".length());
        if (!line.startsWith(" TO ", granted.end())) {
            return line; // not a role membership
        }
        SqlName member = SqlName.at(line, granted.end() + " TO ".length());
        if (!roles.contains(granted.value()) || !roles.contains(member.value())) {
            return null;
        }
        int by = line.indexOf(" GRANTED BY ", member.end());
        if (by < 0) {
            return line;
        }
        SqlName grantor = SqlName.at(line, by + " GRANTED BY ".length());
        return roles.contains(grantor.value()) ? line : line.substring(0, by) + line.substring(grantor.end());
    }

    /**
     * The statements of a kept roles script that create {@code create} (roles missing on a server):
     * their CREATE/ALTER/COMMENT/SECURITY LABEL statements and the memberships that have one of them
     * on a side (without GRANTED BY: the restoring superuser grants them), as plain SQL without
     * psql's meta-commands, for one transaction. Statements about roles that exist are left alone.
     */
    static String creating(String script, Set<String> create) {
        StringBuilder out = new StringBuilder();
        StringBuilder statement = new StringBuilder();
        for (String line : script.split("\n")) {
            if (statement.length() == 0 && (line.isBlank() || line.startsWith("--") || line.startsWith("\\"))) {
                continue;
            }
            statement.append(line).append('\n');
            boolean inLiteral = statement.chars().filter(c -> c == '\'').count() % 2 == 1;
            if (inLiteral || !line.stripTrailing().endsWith(";")) {
                continue; // a statement over several lines (a comment with a newline in it)
            }
            String kept = creatingStatement(statement.toString(), create);
            if (kept != null) {
                out.append(kept);
            }
            statement.setLength(0);
        }
        return out.toString();
    }

    private static String creatingStatement(String statement, Set<String> create) {
        if (statement.startsWith("GRANT ") && statement.contains(" TO ")) {
            SqlName granted = SqlName.at(statement, "GRANT ".length());
            if (!statement.startsWith(" TO ", granted.end())) {
                return null;
            }
            SqlName member = SqlName.at(statement, granted.end() + " TO ".length());
            if (!create.contains(granted.value()) && !create.contains(member.value())) {
                return null;
            }
            int by = statement.indexOf(" GRANTED BY ", member.end());
            return by < 0 ? statement : statement.substring(0, by) + ";\n";
        }
        for (String start : List.of("CREATE ROLE ", "ALTER ROLE ", "COMMENT ON ROLE ")) {
            if (statement.startsWith(start)) {
                return create.contains(SqlName.at(statement, start.length()).value()) ? statement : null;
            }
        }
        if (statement.startsWith("SECURITY LABEL FOR ") && statement.contains(" ON ROLE ")) {
            int at = statement.indexOf(" ON ROLE ") + " ON ROLE ".length();
            return create.contains(SqlName.at(statement, at).value()) ? statement : null;
        }
        return null; // the session's settings and anything else: not about the roles to create
    }

    /** {@code roles} and, transitively, the roles the script makes them members of. */
    static Set<String> withGroups(String script, java.util.Collection<String> roles) {
        java.util.Map<String, Set<String>> groups = new java.util.HashMap<>();
        for (String line : script.split("\n")) {
            if (line.startsWith("GRANT ") && line.contains(" TO ")) {
                SqlName granted = SqlName.at(line, "GRANT ".length());
                if (line.startsWith(" TO ", granted.end())) {
                    SqlName member = SqlName.at(line, granted.end() + " TO ".length());
                    groups.computeIfAbsent(member.value(), k -> new java.util.TreeSet<>())
                            .add(granted.value());
                }
            }
        }
        Set<String> out = new java.util.TreeSet<>(roles);
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(roles);
        while (!todo.isEmpty()) {
            for (String g : groups.getOrDefault(todo.pop(), Set.of())) {
                if (out.add(g)) {
                    todo.push(g);
                }
            }
        }
        return out;
    }

    /** The roles the script creates, in its order. */
    static List<String> created(String script) {
        List<String> out = new ArrayList<>();
        for (String line : script.split("\n")) {
            if (line.startsWith("CREATE ROLE ")) {
                out.add(SqlName.at(line, "CREATE ROLE ".length()).value());
            }
        }
        return out;
    }
}
