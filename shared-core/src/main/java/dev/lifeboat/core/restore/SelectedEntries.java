package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.engine.ArchiveToc;
import dev.lifeboat.core.engine.ArchiveToc.Entry;
import dev.lifeboat.core.engine.TableName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The archive entries a selective restore runs, worked out from the archive's table of contents and
 * its dependencies: a selected table comes back whole (definition, data, indexes, constraints,
 * triggers, column defaults, owned and identity sequences at their values, rules, policies, comments
 * and grants), a selected schema with everything in it. Into a new database the objects they need
 * (their schema, types, functions, sequences they draw on) come too; into an existing one those
 * must be there already.
 *
 * <p>What hangs off the selection but also needs something outside it (a foreign key to a table
 * that is not restored, a view over one) is left out and named in {@link #skipped}, never restored
 * half.
 *
 * @param ids the entries to restore, in archive order (pg_restore's --use-list)
 * @param tables the tables restored, schema-qualified, in archive order
 * @param skipped what was left out and why ("foreign key orders_account_id_fkey of sales.orders:
 *     needs public.accounts, which is not restored")
 * @param names the tables restored as schema and name
 */
public record SelectedEntries(List<Integer> ids, List<String> tables, List<String> skipped, List<TableName> names) {

    /** Objects that make up a table's data and shape: an entry that needs one needs it restored. */
    private static final Set<String> RELATIONS = Set.of(
            "TABLE",
            "FOREIGN TABLE",
            "VIEW",
            "MATERIALIZED VIEW",
            "INDEX",
            "CONSTRAINT",
            "CHECK CONSTRAINT",
            "FK CONSTRAINT");

    /** What hangs off a table (or off what hangs off it) and comes back with it. */
    private static final Set<String> ATTACHED = Set.of(
            "TABLE DATA",
            "INDEX",
            "INDEX ATTACH",
            "TABLE ATTACH",
            "CONSTRAINT",
            "CHECK CONSTRAINT",
            "FK CONSTRAINT",
            "TRIGGER",
            "DEFAULT",
            "COMMENT",
            "ACL",
            "SECURITY LABEL",
            "POLICY",
            "ROW SECURITY",
            "RULE",
            "STATISTICS",
            "SEQUENCE",
            "SEQUENCE OWNED BY",
            "SEQUENCE SET",
            "MATERIALIZED VIEW DATA");

    /** Session settings at the head of every archive: always part of a restore. */
    private static final Set<String> SETTINGS = Set.of("ENCODING", "STDSTRINGS", "SEARCHPATH");

    /** Never part of a selective restore: the database itself and what belongs to the whole of it. */
    private static final Set<String> WHOLE_DATABASE =
            Set.of("DATABASE", "DATABASE PROPERTIES", "EVENT TRIGGER", "PUBLICATION", "SUBSCRIPTION", "DEFAULT ACL");

    public SelectedEntries {
        ids = List.copyOf(ids);
        tables = List.copyOf(tables);
        skipped = List.copyOf(skipped);
        names = List.copyOf(names);
    }

    /**
     * The entries of {@code toc} that restore {@code selection}; NOT_FOUND naming every selected table
     * or schema the archive does not hold.
     *
     * @param withPrerequisites whether to bring the objects the selection needs (into a new
     *     database), or to rely on the target having them (into an existing one)
     */
    public static SelectedEntries of(ArchiveToc toc, Selection selection, boolean withPrerequisites) {
        return of(toc, selection, withPrerequisites, Set.of());
    }

    /**
     * As above, into a database that holds {@code present} (schema-qualified tables and views) already:
     * what hangs off the selection and needs one of those (a foreign key to a table that is there) is
     * restored against it.
     */
    public static SelectedEntries of(
            ArchiveToc toc, Selection selection, boolean withPrerequisites, Set<String> present) {
        Map<Integer, Entry> byId = new HashMap<>();
        toc.entries().forEach(e -> byId.put(e.id(), e));
        Set<Integer> chosen = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (String table : selection.tables()) {
            List<Entry> found = toc.entries().stream()
                    .filter(e -> (e.kind().equals("TABLE") || e.kind().equals("FOREIGN TABLE"))
                            && table.equals(e.qualifiedName()))
                    .toList();
            if (found.isEmpty()) {
                missing.add("table " + table + suggestion(toc, table));
            }
            found.forEach(e -> chosen.add(e.id()));
        }
        for (String schema : selection.schemas()) {
            List<Entry> found = toc.entries().stream()
                    .filter(e -> !WHOLE_DATABASE.contains(e.kind()))
                    .filter(e -> schema.equals(e.schema())
                            || (e.kind().equals("SCHEMA") && e.schema() == null && schema.equals(e.name())))
                    .toList();
            if (found.isEmpty()) {
                missing.add("schema " + schema);
            }
            found.forEach(e -> chosen.add(e.id()));
        }
        if (!missing.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "the backup holds no " + String.join(", no ", missing),
                    "list what it holds (" + Remedy.CONTENTS + ") and name tables as they are listed there");
        }
        return close(toc, byId, chosen, withPrerequisites, present);
    }

    /** Grows {@code chosen} by what hangs off it (and what it needs) until nothing more is added. */
    private static SelectedEntries close(
            ArchiveToc toc,
            Map<Integer, Entry> byId,
            Set<Integer> chosen,
            boolean withPrerequisites,
            Set<String> present) {
        Set<Integer> anchors = new HashSet<>(chosen); // what an attached entry may hang off
        Set<Integer> included = new HashSet<>(chosen);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Entry e : toc.entries()) {
                if (included.contains(e.id()) || !ATTACHED.contains(e.kind())) {
                    continue;
                }
                boolean hangsOff = e.dependsOn().stream().anyMatch(anchors::contains);
                // a foreign key comes with the table it belongs to, not with the one it references: the
                // target's own foreign keys into a restored table are its to keep
                boolean ownTable = !e.kind().equals("FK CONSTRAINT") || restoredHere(e, byId, included);
                if (hangsOff && ownTable && needsOnlyIncluded(e, byId, included, present)) {
                    included.add(e.id());
                    anchors.add(e.id());
                    grew = true;
                    if (e.kind().equals("TABLE ATTACH")) {
                        // a partitioned table comes back with its partitions
                        e.dependsOn().stream()
                                .filter(id -> byId.containsKey(id)
                                        && byId.get(id).kind().equals("TABLE"))
                                .filter(included::add)
                                .forEach(anchors::add);
                    }
                }
            }
            if (withPrerequisites) {
                for (Integer id : List.copyOf(included)) {
                    for (Integer dep : byId.get(id).dependsOn()) {
                        Entry d = byId.get(dep);
                        if (d != null
                                && !RELATIONS.contains(d.kind())
                                && !WHOLE_DATABASE.contains(d.kind())
                                && included.add(dep)) {
                            grew = true;
                        }
                    }
                }
            }
        }
        // what was chosen but needs a relation outside the selection cannot be restored
        List<String> skipped = new ArrayList<>();
        boolean dropped = true;
        while (dropped) {
            dropped = false;
            for (Entry e : toc.entries()) {
                if (included.contains(e.id()) && !needsOnlyIncluded(e, byId, included, present)) {
                    included.remove(e.id());
                    dropped = true;
                }
            }
        }
        Set<String> restored = new HashSet<>();
        toc.entries().stream()
                .filter(e -> included.contains(e.id()) && e.kind().equals("TABLE"))
                .forEach(e -> restored.add(e.qualifiedName()));
        for (Entry e : toc.entries()) {
            if (included.contains(e.id()) || !RELATIONS.contains(e.kind())) {
                continue;
            }
            // worth naming: what belongs to a restored table (a constraint) or was chosen itself (a view
            // of a chosen schema); a foreign key of a table left out is not missed
            boolean ours = e.kind().endsWith("CONSTRAINT") || e.kind().equals("INDEX")
                    ? restored.contains(relationOf(e))
                    : chosen.contains(e.id());
            if (!ours) {
                continue;
            }
            List<String> outside = e.dependsOn().stream()
                    .map(byId::get)
                    .filter(d -> d != null && RELATIONS.contains(d.kind()) && !included.contains(d.id()))
                    .map(SelectedEntries::relationOf)
                    .filter(name -> !present.contains(name))
                    .distinct()
                    .toList();
            if (!outside.isEmpty()) {
                skipped.add(describe(e) + ": needs " + String.join(", ", outside) + ", which "
                        + (outside.size() == 1 ? "is" : "are") + " not restored"
                        + (present.isEmpty() ? "" : " and not in the target"));
            }
        }
        List<Integer> ids = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        List<TableName> names = new ArrayList<>();
        for (Entry e : toc.entries()) {
            if (included.contains(e.id()) || SETTINGS.contains(e.kind())) {
                ids.add(e.id());
                if (e.kind().equals("TABLE") || e.kind().equals("FOREIGN TABLE")) {
                    if (included.contains(e.id())) {
                        tables.add(e.qualifiedName());
                        names.add(new TableName(e.schema(), e.name()));
                    }
                }
            }
        }
        return new SelectedEntries(ids, tables, skipped, names);
    }

    /** Whether every relation {@code e} depends on is included. */
    private static boolean needsOnlyIncluded(
            Entry e, Map<Integer, Entry> byId, Set<Integer> included, Set<String> present) {
        return e.dependsOn().stream()
                .map(byId::get)
                .allMatch(d -> d == null
                        || !RELATIONS.contains(d.kind())
                        || included.contains(d.id())
                        || (!restoredHere(d, byId, included) && present.contains(relationOf(d))));
    }

    /** Whether {@code d} belongs to a table the restore brings back (so the target's copy does not count). */
    private static boolean restoredHere(Entry d, Map<Integer, Entry> byId, Set<Integer> included) {
        String table = relationOf(d);
        return included.stream()
                .map(byId::get)
                .anyMatch(i -> i.kind().equals("TABLE") && i.qualifiedName().equals(table));
    }

    /** The table (or view) an entry is or belongs to, for messages. */
    private static String relationOf(Entry d) {
        if (d.kind().equals("TABLE") || d.kind().endsWith("VIEW") || d.kind().equals("FOREIGN TABLE")) {
            return d.qualifiedName();
        }
        // constraints are tagged "table constraint": the table is the first word
        int space = d.name().indexOf(' ');
        return (d.schema() == null ? "" : d.schema() + ".")
                + (space < 0 ? d.name() : d.name().substring(0, space));
    }

    /** "foreign key orders_account_id_fkey of sales.orders", "view sales.order_totals". */
    private static String describe(Entry e) {
        if (e.kind().endsWith("CONSTRAINT")) {
            int space = e.name().indexOf(' ');
            String table = relationOf(e);
            String name = space < 0 ? e.name() : e.name().substring(space + 1);
            return (e.kind().equals("FK CONSTRAINT") ? "foreign key " : "constraint ") + name + " of " + table;
        }
        return e.kind().toLowerCase(Locale.ROOT) + " " + e.qualifiedName();
    }

    /** " (did you mean public.Accounts?)" when a table differs only in case; else "". */
    private static String suggestion(ArchiveToc toc, String table) {
        return toc.entries().stream()
                .filter(e -> e.kind().equals("TABLE") && e.qualifiedName().equalsIgnoreCase(table))
                .map(e -> " (did you mean " + e.qualifiedName() + "?)")
                .findFirst()
                .orElse("");
    }
}
