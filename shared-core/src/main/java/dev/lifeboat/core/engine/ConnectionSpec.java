package dev.lifeboat.core.engine;

import dev.lifeboat.core.base.Secret;
import java.nio.file.Path;

/**
 * How to reach one PostgreSQL database. The password, if any, is a {@link Secret}: it reaches a child
 * process only through its environment or a 0600 passfile, and JDBC only through connection
 * properties.
 *
 * @param host host name, IP address, or a Unix socket directory (starts with '/')
 * @param port the port
 * @param dbname the database name
 * @param user the login role
 * @param sslmode libpq's sslmode (disable, allow, prefer, require, verify-ca, verify-full), or null for libpq's default
 * @param password the password, or null to let libpq find one (PGPASSFILE, ~/.pgpass) or use none
 * @param passfile a libpq passfile to hand to the tools as PGPASSFILE, or null
 */
public record ConnectionSpec(
        String host, int port, String dbname, String user, String sslmode, Secret password, Path passfile) {

    /** The same server and login, another database. */
    public ConnectionSpec withDatabase(String otherDbname) {
        return new ConnectionSpec(host, port, otherDbname, user, sslmode, password, passfile);
    }

    /** host:port/dbname as user, for messages. */
    public String describe() {
        return user + "@" + host + ":" + port + "/" + dbname;
    }

    @Override
    public String toString() {
        return describe();
    }
}
