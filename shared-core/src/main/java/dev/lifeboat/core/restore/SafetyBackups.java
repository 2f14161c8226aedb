package dev.lifeboat.core.restore;

import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.context.LifeboatContext;
import java.util.Comparator;
import java.util.Optional;

/**
 * The backups a clean restore takes of its target before it touches it, told apart by their tags:
 * ordinary backups of the database (listed, verified, pruned like any other) that undo finds again.
 */
final class SafetyBackups {
    static final String TAG_KIND = "lifeboat.safety";
    static final String CLEAN_RESTORE = "clean-restore";
    static final String TAG_TARGET = "lifeboat.target";
    static final String TAG_RESTORE_OF = "lifeboat.restore-of";

    private SafetyBackups() {}

    /** The newest safety backup of {@code target} ("host:port/dbname") among {@code database}'s backups. */
    static Optional<Manifest> newest(LifeboatContext ctx, String database, String target) {
        return ctx.storesOrAll(null).stream()
                .map(ctx::listing)
                .flatMap(catalog -> catalog.list(database).stream())
                .filter(m -> CLEAN_RESTORE.equals(m.tags().get(TAG_KIND))
                        && target.equals(m.tags().get(TAG_TARGET)))
                .max(Comparator.comparing(Manifest::createdAt));
    }
}
