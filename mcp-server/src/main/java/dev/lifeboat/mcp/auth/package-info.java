/**
 * Who is calling and what they may do: the scopes ({@code backups:read|write|restore}), configured
 * bearer tokens (stored as SHA-256 hashes) and their constant-time check, and the {@code CallerInfo}
 * a transport attaches to every request for the tool handlers and the audit log. No HTTP here: the
 * transports read headers, this package decides.
 */
package dev.lifeboat.mcp.auth;
