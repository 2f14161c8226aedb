package dev.lifeboat.core.engine;

/**
 * Where a backup came from. Never holds a password.
 *
 * @param host the server host (or socket directory)
 * @param port the server port
 * @param dbname the database name on that server
 * @param user the login role
 * @param version the server version string, e.g. "15.19"
 * @param majorVersion the server major version, e.g. 15
 */
public record ServerInfo(String host, int port, String dbname, String user, String version, int majorVersion) {}
