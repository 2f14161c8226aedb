package dev.lifeboat.core.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A custom-format archive's table of contents as {@code pg_restore --list --verbose} prints it: one
 * entry per object (in the archive's order, which is the order a restore runs), with the entries each
 * one depends on. A selective restore is built from it as a {@code --use-list}, so that a table comes
 * back with everything that hangs off it rather than with bare {@code --table}, which leaves indexes,
 * constraints and triggers behind.
 *
 * @param entries every entry, in archive order
 */
public record ArchiveToc(List<Entry> entries) {

    /** What pg_restore prints before an object's schema, longest first where one starts another. */
    private static final List<String> KINDS = List.of(
                    "MATERIALIZED VIEW DATA",
                    "MATERIALIZED VIEW",
                    "TABLE DATA",
                    "TABLE ATTACH",
                    "INDEX ATTACH",
                    "SEQUENCE OWNED BY",
                    "SEQUENCE SET",
                    "FK CONSTRAINT",
                    "CHECK CONSTRAINT",
                    "DEFAULT ACL",
                    "EVENT TRIGGER",
                    "FOREIGN TABLE",
                    "FOREIGN DATA WRAPPER",
                    "FOREIGN SERVER",
                    "USER MAPPING",
                    "TEXT SEARCH CONFIGURATION",
                    "TEXT SEARCH DICTIONARY",
                    "TEXT SEARCH PARSER",
                    "TEXT SEARCH TEMPLATE",
                    "LARGE OBJECTS",
                    "LARGE OBJECT",
                    "BLOB METADATA",
                    "ROW SECURITY",
                    "SECURITY LABEL",
                    "SHELL TYPE",
                    "PROCEDURAL LANGUAGE",
                    "OPERATOR CLASS",
                    "OPERATOR FAMILY",
                    "ACCESS METHOD",
                    "PUBLICATION TABLES IN SCHEMA",
                    "PUBLICATION TABLE",
                    "SUBSCRIPTION TABLE",
                    "DATABASE PROPERTIES",
                    "STATISTICS DATA",
                    "DUMMY TYPE")
            .stream()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();

    private static final Pattern LINE = Pattern.compile("^(\\d+); +\\d+ +\\d+ +(.*)$");
    private static final Pattern DEPENDS = Pattern.compile("^;\\s*depends on:(.*)$");

    public ArchiveToc {
        entries = List.copyOf(entries);
    }

    /**
     * One object of the archive.
     *
     * @param id its dump id (what a {@code --use-list} names)
     * @param kind what it is: TABLE, TABLE DATA, INDEX, FK CONSTRAINT, ACL...
     * @param schema its schema, or null for objects outside one ({@code -} in the listing)
     * @param name its tag: a table's or index's name; "TABLE x" for a comment or grant on table x;
     *     "table constraint" for a constraint or trigger
     * @param owner the role that owned it ("" when none)
     * @param dependsOn the ids of the entries it depends on (empty when the listing was not verbose)
     */
    public record Entry(int id, String kind, String schema, String name, String owner, List<Integer> dependsOn) {
        public Entry {
            dependsOn = List.copyOf(dependsOn);
        }

        /** schema.name, or the bare name for an object outside a schema. */
        public String qualifiedName() {
            return schema == null ? name : schema + "." + name;
        }

        Entry withDependencies(List<Integer> ids) {
            return new Entry(id, kind, schema, name, owner, ids);
        }
    }

    /**
     * Reads pg_restore's listing: entry lines, each optionally followed by a {@code ;\tdepends on:}
     * line; other comment lines are skipped. A line that is not an entry is ignored, as pg_restore
     * itself ignores it in a use-list.
     */
    public static ArchiveToc parse(List<String> lines) {
        Map<Integer, Entry> entries = new LinkedHashMap<>();
        Entry last = null;
        for (String line : lines) {
            Matcher dep = DEPENDS.matcher(line);
            if (dep.matches()) {
                if (last != null) {
                    List<Integer> ids = new ArrayList<>();
                    for (String id : dep.group(1).trim().split("\\s+")) {
                        if (!id.isEmpty()) {
                            ids.add(Integer.parseInt(id));
                        }
                    }
                    last = last.withDependencies(ids.stream().distinct().toList());
                    entries.put(last.id(), last);
                }
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (line.startsWith(";") || !m.matches()) {
                continue;
            }
            last = entry(Integer.parseInt(m.group(1)), m.group(2));
            entries.put(last.id(), last);
        }
        return new ArchiveToc(new ArrayList<>(entries.values()));
    }

    /** "TABLE DATA public accounts alice" after the ids: kind, schema, tag, owner. */
    private static Entry entry(int id, String rest) {
        String kind = KINDS.stream()
                .filter(k -> rest.startsWith(k + " "))
                .findFirst()
                .orElseGet(() -> rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest);
        String after = rest.length() > kind.length() ? rest.substring(kind.length() + 1) : "";
        int space = after.indexOf(' ');
        String schema = space < 0 ? after : after.substring(0, space);
        String tail = space < 0 ? "" : after.substring(space + 1);
        // the owner is the last word (empty for ENCODING and the like, whose line ends in a space)
        int last = tail.lastIndexOf(' ');
        String name = last < 0 ? tail : tail.substring(0, last);
        String owner = last < 0 ? "" : tail.substring(last + 1);
        return new Entry(id, kind, schema.equals("-") ? null : schema, name, owner, List.of());
    }

    /** The entry with dump id {@code id}. */
    public Optional<Entry> entry(int id) {
        return entries.stream().filter(e -> e.id() == id).findFirst();
    }

    /** The entries of {@code kind}. */
    public List<Entry> ofKind(String kind) {
        return entries.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /**
     * The kinds whose owner pg_restore sets ({@code ALTER ... OWNER TO}) when owners are kept; the
     * owner shown for the others (indexes, data, grants, extensions...) is not given anything.
     */
    private static final java.util.Set<String> OWNED = java.util.Set.of(
            "TABLE",
            "VIEW",
            "MATERIALIZED VIEW",
            "SEQUENCE",
            "SCHEMA",
            "FUNCTION",
            "PROCEDURE",
            "AGGREGATE",
            "TYPE",
            "DOMAIN",
            "COLLATION",
            "CONVERSION",
            "FOREIGN TABLE",
            "TEXT SEARCH DICTIONARY",
            "TEXT SEARCH CONFIGURATION",
            "OPERATOR",
            "OPERATOR CLASS",
            "OPERATOR FAMILY",
            "EVENT TRIGGER",
            "PUBLICATION",
            "SUBSCRIPTION",
            "LARGE OBJECT",
            "FOREIGN DATA WRAPPER",
            "SERVER",
            "PROCEDURAL LANGUAGE",
            "STATISTICS");

    /**
     * The roles a restore that keeps owners gives objects to: the owners of the entries {@code only}
     * (null: all) whose kind pg_restore sets an owner for.
     */
    public java.util.SortedSet<String> owners(java.util.Collection<Integer> only) {
        java.util.Set<Integer> ids = only == null ? null : java.util.Set.copyOf(only);
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        entries.stream()
                .filter(e -> ids == null || ids.contains(e.id()))
                .filter(e -> OWNED.contains(e.kind()) && !e.owner().isEmpty())
                .forEach(e -> out.add(e.owner()));
        return out;
    }

    /** The ids of the grants among the entries {@code only} (null: all): ACL and DEFAULT ACL. */
    public List<Integer> grantIds(java.util.Collection<Integer> only) {
        java.util.Set<Integer> ids = only == null ? null : java.util.Set.copyOf(only);
        return entries.stream()
                .filter(e -> ids == null || ids.contains(e.id()))
                .filter(e -> e.kind().equals("ACL") || e.kind().equals("DEFAULT ACL"))
                .map(Entry::id)
                .toList();
    }
}
