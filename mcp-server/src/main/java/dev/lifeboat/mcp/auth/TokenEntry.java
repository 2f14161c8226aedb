package dev.lifeboat.mcp.auth;

import java.util.Set;

/**
 * One configured bearer token ({@code mcp.tokens} in lifeboat.yaml).
 *
 * @param subject who holds it, written to the audit log
 * @param sha256 the lower-case hex SHA-256 of the token
 * @param scopes what it may do
 */
public record TokenEntry(String subject, String sha256, Set<Scope> scopes) {
    public TokenEntry {
        scopes = Set.copyOf(scopes);
    }
}
