package dev.lifeboat.core.engine.postgres;

/**
 * An identifier in a line of an SQL script pg_dump or pg_dumpall wrote: its value (a double-quoted
 * one without its quotes, with "" read as ") and the index just past it.
 */
record SqlName(String value, int end) {
    /** The identifier at {@code at}: double-quoted, or bare up to a space, ',' or ';' (as written). */
    static SqlName at(String s, int at) {
        if (at < s.length() && s.charAt(at) == '"') {
            StringBuilder b = new StringBuilder();
            int i = at + 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    b.append('"');
                    i += 2;
                } else if (c == '"') {
                    return new SqlName(b.toString(), i + 1);
                } else {
                    b.append(c);
                    i++;
                }
            }
            return new SqlName(b.toString(), s.length());
        }
        int i = at;
        while (i < s.length() && " ,;".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return new SqlName(s.substring(at, i), i);
    }
}
