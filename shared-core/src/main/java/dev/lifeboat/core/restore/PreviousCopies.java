package dev.lifeboat.core.restore;

import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.Databases;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The databases replacing restores kept beside a target, found on its server by name ({@link
 * ReplaceNames}), newest first; each expires {@code keep_previous} after it was kept.
 */
public final class PreviousCopies {
    private PreviousCopies() {}

    public static List<PreviousCopy> of(Databases databases, ConnectionSpec target, DatabaseConfig config) {
        ReplaceNames names = new ReplaceNames(target.dbname());
        Duration keep = config.keepPrevious();
        String server = target.host() + ":" + target.port();
        return databases.namesStartingWith(target, names.prefix()).stream()
                .flatMap(name -> names.keptAt(name).stream()
                        .map(at -> new PreviousCopy(name, target.dbname(), server, at, at.plus(keep))))
                .sorted(Comparator.comparing(PreviousCopy::keptAt).reversed())
                .toList();
    }

    /**
     * The name to keep {@code target} under when it is put aside at {@code at}: named for that second,
     * or the next free one when a restore and its undo run within the same second.
     */
    static String freeName(Databases databases, ConnectionSpec target, Instant at) {
        ReplaceNames names = new ReplaceNames(target.dbname());
        java.util.Set<String> taken = new java.util.HashSet<>(databases.namesStartingWith(target, names.prefix()));
        Instant t = at;
        while (taken.contains(names.kept(t))) {
            t = t.plusSeconds(1);
        }
        return names.kept(t);
    }
}
