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
            StringBuilder name = new StringBuilder();
            if (s.charAt(i) == '"') {
                i++;
                while (i < s.length()) {
                    char c = s.charAt(i);
                    if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        name.append('"');
                        i += 2;
                    } else if (c == '"') {
                        i++;
                        break;
                    } else {
                        name.append(c);
                        i++;
                    }
                }
                out.add(name.toString());
            } else {
                while (i < s.length() && " ,;".indexOf(s.charAt(i)) < 0) {
                    name.append(s.charAt(i++));
                }
                String n = name.toString();
                // unquoted names are folded to lower case; PUBLIC is everyone, no role
                if (!n.isEmpty() && !n.equalsIgnoreCase("PUBLIC")) {
                    out.add(n.toLowerCase(java.util.Locale.ROOT));
                }
            }
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                continue;
            }
            return;
        }
    }
}
