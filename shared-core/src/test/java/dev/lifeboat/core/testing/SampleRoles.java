package dev.lifeboat.core.testing;

/**
 * Roles for the ITs of roles kept with a backup, with unique names on the shared cluster: an owner
 * and a reader that log in with canary passwords (which must never reach a backup), the reader a
 * member of a NOLOGIN group.
 */
public record SampleRoles(String owner, String reader, String group) {
    /** Creates the three roles on {@code pg}. */
    public static SampleRoles create(PgCluster pg) {
        SampleRoles r = new SampleRoles(
                PgCluster.uniqueName("owner"), PgCluster.uniqueName("reader"), PgCluster.uniqueName("group"));
        pg.execute(
                "postgres",
                "CREATE ROLE " + r.group + " NOLOGIN",
                "CREATE ROLE " + r.owner + " LOGIN PASSWORD 'owner-canary-secret'",
                "CREATE ROLE " + r.reader + " LOGIN PASSWORD 'reader-canary-secret' IN ROLE " + r.group);
        return r;
    }
}
