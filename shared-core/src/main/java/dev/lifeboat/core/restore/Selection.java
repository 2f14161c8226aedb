package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a backup a selective restore brings back: whole tables and whole schemas. Empty means
 * the whole backup. A table is named {@code schema.table}; either part may be double-quoted (with
 * {@code ""} for a quote inside) when it holds a dot; a bare name means a table of that name in
 * {@code public}.
 *
 * @param tables the tables, schema-qualified, in the order asked for
 * @param schemas the schemas
 */
public record Selection(List<String> tables, List<String> schemas) {
    public static final Selection EVERYTHING = new Selection(List.of(), List.of());

    public Selection {
        tables = tables == null ? List.of() : tables.stream().distinct().toList();
        schemas = schemas == null ? List.of() : schemas.stream().distinct().toList();
    }

    /**
     * Reads table names as a user wrote them ({@code public.accounts}, {@code accounts}, {@code
     * "odd.schema".t}) and schema names; INVALID_ARGUMENT naming the first that is not a name.
     */
    public static Selection of(List<String> tableNames, List<String> schemaNames) {
        List<String> tables = new ArrayList<>();
        for (String t : tableNames == null ? List.<String>of() : tableNames) {
            List<String> parts = parts(t);
            if (parts.size() == 1) {
                tables.add("public." + parts.get(0));
            } else if (parts.size() == 2) {
                tables.add(parts.get(0) + "." + parts.get(1));
            } else {
                throw invalid("table", t, "name a table as SCHEMA.TABLE (quote a part holding a dot: \"my.schema\".t)");
            }
        }
        List<String> schemas = new ArrayList<>();
        for (String s : schemaNames == null ? List.<String>of() : schemaNames) {
            List<String> parts = parts(s);
            if (parts.size() != 1) {
                throw invalid("schema", s, "name a schema by its name alone (quote it when it holds a dot)");
            }
            schemas.add(parts.get(0));
        }
        return new Selection(tables, schemas);
    }

    /** Whether this is the whole backup. */
    public boolean everything() {
        return tables.isEmpty() && schemas.isEmpty();
    }

    /** "tables public.a, public.b; schemas sales": for plans, messages and the token's binding. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!tables.isEmpty()) {
            parts.add((tables.size() == 1 ? "table " : "tables ") + String.join(", ", tables));
        }
        if (!schemas.isEmpty()) {
            parts.add((schemas.size() == 1 ? "schema " : "schemas ") + String.join(", ", schemas));
        }
        return parts.isEmpty() ? "everything" : String.join("; ", parts);
    }

    /** The dot-separated parts of {@code name}, with double quotes honoured; empty parts are refused. */
    private static List<String> parts(String name) {
        if (name == null || name.isBlank()) {
            throw invalid("table or schema", String.valueOf(name), "give a non-empty name");
        }
        String text = name.trim();
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    part.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(finish(part, wasQuoted, name));
                part.setLength(0);
                wasQuoted = false;
            } else {
                part.append(c);
            }
        }
        if (quoted) {
            throw invalid("table or schema", name, "close the double quote");
        }
        parts.add(finish(part, wasQuoted, name));
        return parts;
    }

    private static String finish(StringBuilder part, boolean quoted, String name) {
        String p = quoted ? part.toString() : part.toString().trim();
        if (p.isEmpty()) {
            throw invalid("table or schema", name, "name a table as SCHEMA.TABLE");
        }
        return p;
    }

    private static LifeboatException invalid(String what, String name, String hint) {
        return new LifeboatException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + " name '" + name + "'", hint);
    }
}
