package dev.lifeboat.core.engine.postgres;

import java.util.Set;
import java.util.TreeSet;

/**
 * The roles named by the grant statements pg_restore writes for an archive's ACL and DEFAULT ACL
 * entries: {@code GRANT ... TO r}, {@code REVOKE ... FROM r}, {@code ALTER DEFAULT PRIVILEGES FOR
 * ROLE r}, and {@code SET SESSION AUTHORIZATION r} (a grant made by someone other than the owner).
 * {@code PUBLIC} is no role.
 */
final class GrantScript {
    private GrantScript() {}

    private static final String[] BEFORE_ROLES = {" TO ", " FROM ", "FOR ROLE ", "SESSION AUTHORIZATION "};

    static Set<String> roles(String script) {
        Set<String> out = new TreeSet<>();
        for (String line : script.split("\n")) {
            if (line.startsWith("--") || line.startsWith("\\")) {
                continue;
            }
            for (String before : BEFORE_ROLES) {
                int at = line.indexOf(before);
                if (at >= 0 && isGrant(line)) {
                    names(line, at + before.length(), out);
                }
            }
        }
        return out;
    }

    private static boolean isGrant(String line) {
        return line.startsWith("GRANT ")
                || line.startsWith("REVOKE ")
                || line.startsWith("ALTER DEFAULT PRIVILEGES ")
                || line.startsWith("SET SESSION AUTHORIZATION ");
    }

    /** A comma-separated list of role names from {@code at}, up to ';' or a keyword after a space. */
    private static void names(String s, int at, Set<String> out) {
        int i = at;
        while (i < s.length()) {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= s.length()) {
                return;
            }
            boolean quoted = s.charAt(i) == '"';
            SqlName name = SqlName.at(s, i);
            i = name.end();
            String n = name.value();
            if (quoted) {
                out.add(n);
            } else if (!n.isEmpty() && !n.equalsIgnoreCase("PUBLIC")) {
                // unquoted names are folded to lower case; PUBLIC is everyone, no role
                out.add(n.toLowerCase(java.util.Locale.ROOT));
            }
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                continue;
            }
            return;
        }
    }
}
