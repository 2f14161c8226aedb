package dev.lifeboat.core.testing;

/**
 * Fills a database with a few small tables that exercise what a dump must carry: integer, numeric,
 * float, boolean, text, jsonb, bytea, date/time types, NULLs in many columns, a schema other than
 * public, and a table and column whose names need quoting.
 */
public final class SampleData {
    /** The tables {@link #create} makes, schema-qualified and unquoted. */
    public static final java.util.List<String> TABLES = java.util.List.of(
            "ledger.entries",
            "public.Mixed Case \"Table\"",
            "public.blobs",
            "public.events",
            "public.numbers",
            "public.texts");

    private SampleData() {}

    /** A new database with a unique name starting with {@code prefix}, holding the sample tables; returns its name. */
    public static String database(PgCluster cluster, String prefix, int rows) {
        String db = cluster.createUniqueDatabase(prefix);
        create(cluster, db, rows);
        return db;
    }

    /** Creates the sample tables in {@code db} with about {@code rows} rows each. */
    public static void create(PgCluster cluster, String db, int rows) {
        cluster.execute(
                db,
                "CREATE TABLE public.numbers (id int PRIMARY KEY, big bigint, small smallint, num numeric(12,3),"
                        + " f float8, flag boolean)",
                "INSERT INTO public.numbers SELECT g, g * 1000000007::bigint, (g % 32000)::smallint,"
                        + " CASE WHEN g % 7 = 0 THEN NULL ELSE g / 3.0 END, g * 0.5, CASE WHEN g % 5 = 0 THEN NULL"
                        + " ELSE g % 2 = 0 END FROM generate_series(1, " + rows + ") g",
                "CREATE TABLE public.texts (id serial PRIMARY KEY, body text NOT NULL, note varchar(50), doc jsonb)",
                "INSERT INTO public.texts (body, note, doc) SELECT 'line ' || g || E' with \\'quotes\\', tabs\\t"
                        + " and ünïcödé', CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END,"
                        + " jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g)) FROM generate_series(1, "
                        + rows + ") g",
                "CREATE TABLE public.blobs (id int, data bytea)",
                "INSERT INTO public.blobs SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE"
                        + " decode(md5(g::text) || '00ff', 'hex') END FROM generate_series(1, " + rows + ") g",
                "CREATE TABLE public.events (id bigserial PRIMARY KEY, at timestamptz, day date, local_at timestamp,"
                        + " span interval)",
                "INSERT INTO public.events (at, day, local_at, span) SELECT"
                        + " timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute',"
                        + " date '2026-01-01' + g, CASE WHEN g % 6 = 0 THEN NULL ELSE timestamp '2026-01-01' + g *"
                        + " interval '1 second' END, g * interval '1 hour' FROM generate_series(1, " + rows + ") g",
                "CREATE SCHEMA ledger",
                "CREATE TABLE ledger.entries (id int PRIMARY KEY, account text, amount numeric(14,2))",
                "INSERT INTO ledger.entries SELECT g, 'acct-' || (g % 10), CASE WHEN g % 9 = 0 THEN NULL ELSE"
                        + " g * 1.25 END FROM generate_series(1, " + rows + ") g",
                "CREATE TABLE public.\"Mixed Case \"\"Table\"\"\" (id int, \"Weird Col\" text)",
                "INSERT INTO public.\"Mixed Case \"\"Table\"\"\" SELECT g, CASE WHEN g % 2 = 0 THEN NULL ELSE"
                        + " 'w' || g END FROM generate_series(1, " + rows + ") g",
                "ANALYZE");
    }

    /** A new database with a unique name starting with {@code prefix}, holding only {@link #createBulk}'s table. */
    public static String bulkDatabase(PgCluster cluster, String prefix, int megabytes) {
        String db = cluster.createUniqueDatabase(prefix);
        createBulk(cluster, db, megabytes);
        return db;
    }

    /**
     * Creates {@code public.bulk} with {@code megabytes} of incompressible-ish text, for tests that need
     * a dump to run for a while (uncompressed dumps of it are about that size).
     */
    public static void createBulk(PgCluster cluster, String db, int megabytes) {
        int rows = megabytes * 1024 * 1024 / 160;
        cluster.execute(
                db,
                "CREATE TABLE public.bulk (id int, payload text)",
                "INSERT INTO public.bulk SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text)"
                        + " || md5((g * 17)::text) || md5((g * 19)::text) FROM generate_series(1, " + rows + ") g");
    }
}
