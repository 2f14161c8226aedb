package dev.lifeboat.core.restore;

import java.time.Instant;

/**
 * A database a replacing restore kept when it put a backup in its place: a real database that can be
 * inspected with psql and brought back with undo until it expires; after that prune drops it.
 *
 * @param name its name now, e.g. {@code shop__prev_20261206021700}
 * @param target the database it was, and that undo puts it back as
 * @param server host:port
 * @param keptAt when the swap put it aside
 * @param expiresAt when undo stops offering it and prune drops it
 */
public record PreviousCopy(String name, String target, String server, Instant keptAt, Instant expiresAt) {
    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
