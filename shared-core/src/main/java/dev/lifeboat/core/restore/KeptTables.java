package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The tables a selective restore over a database replaced, kept in a schema of that database (named
 * {@code lifeboat_prev_<UTC time>}) whose comment says what it keeps: for undo, and for prune once it
 * expires.
 *
 * @param schema the schema they are kept in
 * @param restoreOf the backup whose restore replaced them
 * @param restoredAt when
 * @param expiresAt when undo stops offering them and prune may drop them
 * @param tables the tables the restore brought back; those that existed before it are kept
 */
public record KeptTables(
        String schema, String restoreOf, Instant restoredAt, Instant expiresAt, List<TableName> tables) {
    static final String MARK = "tables kept by a selective restore";

    public KeptTables {
        tables = List.copyOf(tables);
    }

    /**
     * How long a selective restore keeps the tables it replaced: keep_previous, and at least an hour
     * when that is 0 (they are always kept: moving them aside is how the restore stays one transaction).
     */
    static java.time.Duration keepFor(java.time.Duration keepPrevious) {
        return keepPrevious.isZero() ? java.time.Duration.ofHours(1) : keepPrevious;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * A schema name for tables kept at {@code at} that {@code db} does not have yet ({@code
     * lifeboat_prev_<UTC time>}, with a counter when one restore follows another within the second).
     * Callers hold the target's restore lock, so nobody takes it meanwhile.
     */
    static String freeName(DumpEngine engine, ConnectionSpec db, Instant at) {
        String base = RestoreTarget.KEEP_PREFIX + SelectiveRestore.STAMP.format(at);
        java.util.Set<String> taken = engine.schemasStartingWith(db, base).keySet();
        String name = base;
        for (int n = 2; taken.contains(name); n++) {
            name = base + "_" + n;
        }
        return name;
    }

    /** The comment that makes a schema a kept-tables schema. */
    static String comment(String restoreOf, Instant at, Instant expires, List<TableName> tables) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("lifeboat", MARK);
        c.put("restore_of", restoreOf);
        c.put("restored_at", at.toString());
        c.put("expires_at", expires.toString());
        List<Map<String, String>> t = new ArrayList<>();
        tables.forEach(x -> t.add(Map.of("schema", x.schema(), "name", x.name())));
        c.put("tables", t);
        return Json.mapper().writeValueAsString(c);
    }

    /** The kept tables of {@code db}, newest first; schemas whose comment is not Lifeboat's are ignored. */
    public static List<KeptTables> in(DumpEngine engine, ConnectionSpec db) {
        List<KeptTables> out = new ArrayList<>();
        engine.schemasStartingWith(db, RestoreTarget.KEEP_PREFIX).forEach((schema, comment) -> {
            KeptTables k = parse(schema, comment);
            if (k != null) {
                out.add(k);
            }
        });
        out.sort(Comparator.comparing(KeptTables::restoredAt).reversed());
        return out;
    }

    private static KeptTables parse(String schema, String comment) {
        if (comment == null) {
            return null;
        }
        try {
            JsonNode n = Json.mapper().readTree(comment);
            if (!MARK.equals(n.path("lifeboat").asString(""))) {
                return null;
            }
            List<TableName> tables = new ArrayList<>();
            for (JsonNode t : n.path("tables")) {
                tables.add(new TableName(
                        t.path("schema").asString(), t.path("name").asString()));
            }
            return new KeptTables(
                    schema,
                    n.path("restore_of").asString(null),
                    Instant.parse(n.path("restored_at").asString()),
                    Instant.parse(n.path("expires_at").asString()),
                    tables);
        } catch (RuntimeException e) {
            return null; // not ours, or edited by hand: left alone
        }
    }
}
