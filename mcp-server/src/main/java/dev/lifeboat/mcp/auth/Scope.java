package dev.lifeboat.mcp.auth;

import java.util.Locale;

/** What an HTTP bearer token may do. stdio callers are the local user and hold every scope. */
public enum Scope {
    /** List databases and backups, read manifests, verify. */
    READ("backups:read"),
    /** Take and copy backups: adds data, destroys none. */
    WRITE("backups:write"),
    /**
     * Delete and prune backups. Separate from {@link #WRITE} so that a token meant for taking backups
     * cannot destroy them; a token configured before this scope existed keeps only what WRITE now means.
     */
    DELETE("backups:delete"),
    /** Restore a backup into a database. */
    RESTORE("backups:restore"),
    /** Scrape {@code GET /metrics} (backup health for Prometheus); no tool. */
    METRICS("metrics");

    private final String id;

    Scope(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The scope for its wire name, or null when the name is unknown. */
    public static Scope parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Scope s : values()) {
            if (s.id.equals(t)) {
                return s;
            }
        }
        return null;
    }
}
