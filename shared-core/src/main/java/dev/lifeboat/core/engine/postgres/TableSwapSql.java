package dev.lifeboat.core.engine.postgres;

import dev.lifeboat.core.engine.TableName;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL around a selective restore over an existing database, which psql runs in the same single
 * transaction as pg_restore's script: {@link #before} moves the tables being replaced aside (their
 * indexes, constraints, triggers and owned sequences go with them), after noting and dropping the
 * foreign keys of other tables that reference them and noting the views over them; {@link #after}
 * points those views at the restored tables, adds the foreign keys again (which checks the restored
 * rows against them) and commits. The notes live in temporary tables dropped at commit.
 */
final class TableSwapSql {
    private TableSwapSql() {}

    /** The kept table's name: its schema-qualified name, shortened with a hash past PostgreSQL's 63 bytes. */
    static String keptName(TableName t) {
        String full = t.schema() + "." + t.name();
        if (full.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return full;
        }
        String hash;
        try {
            hash = HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(full.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < full.length(); ) {
            int cp = full.codePointAt(i);
            String next = new String(Character.toChars(cp));
            if ((b + next).getBytes(StandardCharsets.UTF_8).length > 63 - 9) {
                break;
            }
            b.append(next);
            i += Character.charCount(cp);
        }
        return b + "_" + hash;
    }

    static String before(List<TableName> tables, String keepSchema, String keepComment) {
        String names = tables.stream()
                .map(t -> literal(PgJdbc.quote(t.schema()) + "." + PgJdbc.quote(t.name())))
                .collect(Collectors.joining(", "));
        StringBuilder sql = new StringBuilder();
        sql.append("SET standard_conforming_strings = on;\n")
                .append("BEGIN;\n")
                .append("SELECT pg_catalog.set_config('search_path', '', true);\n")
                .append("CREATE TEMP TABLE lifeboat_replaced ON COMMIT DROP AS SELECT c.oid AS relid"
                        + " FROM pg_catalog.pg_class c WHERE c.oid IN (SELECT pg_catalog.to_regclass(x)"
                        + " FROM pg_catalog.unnest(ARRAY[")
                .append(names)
                .append("]::text[]) AS x);\n")
                .append(
                        "CREATE TEMP TABLE lifeboat_fks ON COMMIT DROP AS SELECT con.conrelid::pg_catalog.regclass::text"
                                + " AS tbl, con.conname::text AS name, pg_catalog.pg_get_constraintdef(con.oid) AS def"
                                + " FROM pg_catalog.pg_constraint con WHERE con.contype = 'f'"
                                + " AND con.confrelid IN (SELECT relid FROM pg_temp.lifeboat_replaced)"
                                + " AND con.conrelid NOT IN (SELECT relid FROM pg_temp.lifeboat_replaced);\n")
                .append(
                        "CREATE TEMP TABLE lifeboat_views ON COMMIT DROP AS SELECT DISTINCT"
                                + " v.oid::pg_catalog.regclass::text AS name, v.relkind AS kind,"
                                + " pg_catalog.rtrim(pg_catalog.btrim(pg_catalog.pg_get_viewdef(v.oid)), ';') AS def"
                                + " FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid"
                                + " JOIN pg_catalog.pg_class v ON v.oid = r.ev_class"
                                + " WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass"
                                + " AND d.refobjid IN (SELECT relid FROM pg_temp.lifeboat_replaced)"
                                + " AND v.relkind IN ('v', 'm') AND v.oid NOT IN (SELECT relid FROM pg_temp.lifeboat_replaced);\n")
                .append("DO $lifeboat$ DECLARE r record; m text; BEGIN\n"
                        + "  SELECT pg_catalog.string_agg(name, ', ') INTO m FROM pg_temp.lifeboat_views WHERE kind = 'm';\n"
                        + "  IF m IS NOT NULL THEN\n"
                        + "    RAISE EXCEPTION 'lifeboat: materialized views depend on the tables being replaced: %', m;\n"
                        + "  END IF;\n"
                        + "  FOR r IN SELECT * FROM pg_temp.lifeboat_fks LOOP\n"
                        + "    EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.name);\n"
                        + "  END LOOP;\n"
                        + "END $lifeboat$;\n")
                .append("CREATE SCHEMA ")
                .append(PgJdbc.quote(keepSchema))
                .append(";\n")
                .append("COMMENT ON SCHEMA ")
                .append(PgJdbc.quote(keepSchema))
                .append(" IS ")
                .append(literal(keepComment))
                .append(";\n");
        for (TableName t : tables) {
            String kept = keptName(t);
            sql.append("ALTER TABLE IF EXISTS ")
                    .append(PgJdbc.quote(t.schema()))
                    .append('.')
                    .append(PgJdbc.quote(t.name()))
                    .append(" RENAME TO ")
                    .append(PgJdbc.quote(kept))
                    .append(";\n");
            sql.append("ALTER TABLE IF EXISTS ")
                    .append(PgJdbc.quote(t.schema()))
                    .append('.')
                    .append(PgJdbc.quote(kept))
                    .append(" SET SCHEMA ")
                    .append(PgJdbc.quote(keepSchema))
                    .append(";\n");
        }
        return sql.toString();
    }

    static String after() {
        return putBack() + "COMMIT;\n";
    }

    /**
     * The kept tables {@code tables} of {@code fromSchema} back under their own names (those that
     * were kept: a table that did not exist before the restore has none), then {@code fromSchema}
     * dropped when that left it empty. Runs between {@link #before} and {@link #after}.
     */
    static String moveBack(String fromSchema, List<TableName> tables) {
        StringBuilder sql = new StringBuilder();
        for (TableName t : tables) {
            String kept = keptName(t);
            sql.append("ALTER TABLE IF EXISTS ")
                    .append(PgJdbc.quote(fromSchema))
                    .append('.')
                    .append(PgJdbc.quote(kept))
                    .append(" SET SCHEMA ")
                    .append(PgJdbc.quote(t.schema()))
                    .append(";\n");
            sql.append("ALTER TABLE IF EXISTS ")
                    .append(PgJdbc.quote(t.schema()))
                    .append('.')
                    .append(PgJdbc.quote(kept))
                    .append(" RENAME TO ")
                    .append(PgJdbc.quote(t.name()))
                    .append(";\n");
        }
        sql.append("DO $lifeboat$ BEGIN\n  EXECUTE pg_catalog.format('DROP SCHEMA %I', ")
                .append(literal(fromSchema))
                .append(");\nEXCEPTION WHEN dependent_objects_still_exist THEN\n"
                        + "  RAISE NOTICE 'lifeboat: % still holds objects and is kept', ")
                .append(literal(fromSchema))
                .append(";\nEND $lifeboat$;\n");
        return sql.toString();
    }

    /** Views pointed at the tables now in place, and the noted foreign keys added again (checked). */
    private static String putBack() {
        return "\n"
                + "DO $lifeboat$ DECLARE r record; BEGIN\n"
                + "  FOR r IN SELECT * FROM pg_temp.lifeboat_views WHERE kind = 'v' LOOP\n"
                + "    EXECUTE pg_catalog.format('CREATE OR REPLACE VIEW %s AS %s', r.name, r.def);\n"
                + "  END LOOP;\n"
                + "  FOR r IN SELECT * FROM pg_temp.lifeboat_fks LOOP\n"
                + "    BEGIN\n"
                + "      EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.name, r.def);\n"
                + "    EXCEPTION WHEN foreign_key_violation THEN\n"
                + "      RAISE EXCEPTION 'lifeboat: the restored rows lack keys that foreign key % of % needs (%)',"
                + " r.name, r.tbl, SQLERRM;\n"
                + "    END;\n"
                + "  END LOOP;\n"
                + "END $lifeboat$;\n";
    }

    /** A SQL string literal (standard_conforming_strings on). */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
