package dev.lifeboat.cli;

import dev.lifeboat.core.manage.Inventory;
import java.util.List;
import java.util.function.Function;

/** The text people read about what is configured: databases, directories, sets and stores. */
public final class InventoryText {
    private InventoryText() {}

    public static String inventory(Inventory inv) {
        StringBuilder b = new StringBuilder("configuration OK: ")
                .append(inv.configSource())
                .append('\n');
        b.append("databases\n");
        Table d = new Table(
                "  NAME", "SERVER", "DBNAME", "USER", "STORE", "PASSWORD FROM", "COMPRESSION", "RESTORE JOBS");
        for (Inventory.DatabaseEntry e : inv.databases()) {
            String name = e.name().equals(inv.defaultDatabase()) ? e.name() + " (default)" : e.name();
            d.row(
                    "  " + name,
                    e.host() + ":" + e.port(),
                    e.dbname(),
                    e.user(),
                    e.store(),
                    e.passwordSource(),
                    compression(e.compression(), e.compressionLevel(), e.compressionSource()),
                    e.restoreJobs() + " (" + e.restoreJobsSource() + ")");
        }
        b.append(d.render());
        section(
                b,
                "directories",
                new Table("  NAME", "PATH", "STORE", "COMPRESSION", "EXCLUDES"),
                inv.directories(),
                e -> new Object[] {
                    "  " + e.name(),
                    e.path(),
                    e.store(),
                    compression(e.compression(), e.compressionLevel(), e.compressionSource()),
                    e.excludes().isEmpty() ? "-" : String.join(" ", e.excludes())
                });
        section(b, "sets", new Table("  NAME", "MEMBERS"), inv.sets(), e ->
                new Object[] {"  " + e.name(), String.join(", ", e.members())});
        section(
                b,
                "objectives (lifeboat status)",
                new Table("  NAME", "KIND", "RPO", "DRILL EVERY", "COPIES"),
                inv.objectives(),
                e -> new Object[] {
                    "  " + e.name(),
                    e.kind(),
                    e.rpo() == null ? "-" : e.rpo(),
                    e.drillEvery() == null ? "-" : e.drillEvery(),
                    e.copies() == null ? "-" : e.copies()
                });
        section(
                b,
                "notify",
                new Table("  NAME", "KIND", "URL", "EVENTS", "SIGNED WITH"),
                inv.notifyTargets(),
                e -> new Object[] {
                    "  " + e.name(),
                    e.kind(),
                    e.url(),
                    e.events().isEmpty() ? "every run" : String.join(", ", e.events()),
                    e.secretEnv() == null ? "-" : e.secretEnv()
                });
        b.append("\nstores\n");
        Table s = new Table("  NAME", "URI", "COMPRESSION");
        for (Inventory.StoreEntry e : inv.stores()) {
            String name = e.name().equals(inv.defaultStore()) ? e.name() + " (default)" : e.name();
            s.row(
                    "  " + name,
                    e.uri(),
                    e.compression() == null ? "-" : compression(e.compression(), e.compressionLevel(), null));
        }
        return b.append(s.render()).toString();
    }

    /** A titled table of {@code entries}, a row each; nothing at all when there are none. */
    private static <E> void section(
            StringBuilder b, String title, Table table, List<E> entries, Function<E, Object[]> row) {
        if (entries.isEmpty()) {
            return;
        }
        entries.forEach(e -> table.row(row.apply(e)));
        b.append('\n').append(title).append('\n').append(table.render());
    }

    /** "zstd level 9 (database)", "gzip (default)". */
    private static String compression(String method, Integer level, String source) {
        return method + (level == null ? "" : " level " + level) + (source == null ? "" : " (" + source + ")");
    }
}
