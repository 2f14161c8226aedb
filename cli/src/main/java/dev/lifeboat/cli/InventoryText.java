package dev.lifeboat.cli;

import dev.lifeboat.core.manage.Inventory;

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
        if (!inv.directories().isEmpty()) {
            b.append("\ndirectories\n");
            Table dirs = new Table("  NAME", "PATH", "STORE", "COMPRESSION", "EXCLUDES");
            for (Inventory.DirectoryEntry e : inv.directories()) {
                dirs.row(
                        "  " + e.name(),
                        e.path(),
                        e.store(),
                        compression(e.compression(), e.compressionLevel(), e.compressionSource()),
                        e.excludes().isEmpty() ? "-" : String.join(" ", e.excludes()));
            }
            b.append(dirs.render());
        }
        if (!inv.sets().isEmpty()) {
            b.append("\nsets\n");
            Table sets = new Table("  NAME", "MEMBERS");
            for (Inventory.SetEntry e : inv.sets()) {
                sets.row("  " + e.name(), String.join(", ", e.members()));
            }
            b.append(sets.render());
        }
        if (!inv.objectives().isEmpty()) {
            b.append("\nobjectives (lifeboat status)\n");
            Table o = new Table("  NAME", "KIND", "RPO", "DRILL EVERY", "COPIES");
            for (Inventory.ObjectiveEntry e : inv.objectives()) {
                o.row(
                        "  " + e.name(),
                        e.kind(),
                        e.rpo() == null ? "-" : e.rpo(),
                        e.drillEvery() == null ? "-" : e.drillEvery(),
                        e.copies() == null ? "-" : e.copies());
            }
            b.append(o.render());
        }
        if (!inv.notifyTargets().isEmpty()) {
            b.append("\nnotify\n");
            Table n = new Table("  NAME", "KIND", "URL", "EVENTS", "SIGNED WITH");
            for (Inventory.NotifyEntry e : inv.notifyTargets()) {
                n.row(
                        "  " + e.name(),
                        e.kind(),
                        e.url(),
                        e.events().isEmpty() ? "every run" : String.join(", ", e.events()),
                        e.secretEnv() == null ? "-" : e.secretEnv());
            }
            b.append(n.render());
        }
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

    /** "zstd level 9 (database)", "gzip (default)". */
    private static String compression(String method, Integer level, String source) {
        return method + (level == null ? "" : " level " + level) + (source == null ? "" : " (" + source + ")");
    }
}
