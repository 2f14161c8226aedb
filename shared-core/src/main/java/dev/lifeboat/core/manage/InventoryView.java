package dev.lifeboat.core.manage;

import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.DirectoryConfig;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.StoreConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Inventory} of a configuration: what is configured and the settings each source ends up
 * with (compression, restore jobs) after the store and the defaults are taken into account, so
 * {@code config check} and {@code list_databases} show what a backup or restore would use.
 */
public final class InventoryView {
    private InventoryView() {}

    public static Inventory of(LifeboatConfig config) {
        List<Inventory.DatabaseEntry> dbs = new ArrayList<>();
        for (DatabaseConfig d : config.databases().values()) {
            String source = d.passwordEnv() != null
                    ? "environment variable " + d.passwordEnv()
                    : d.passwordFile() != null
                            ? "file " + d.passwordFile()
                            : d.passfile() != null
                                    ? "passfile " + d.passfile()
                                    : d.passwordFromPgEnv() ? "PGPASSWORD" : "libpq defaults (~/.pgpass)";
            String store = d.store() != null ? d.store() : config.defaultStore();
            StoreConfig sc = store == null ? null : config.stores().get(store);
            Effective c = effective(d.compression(), "database", sc, CompressionSetting.DEFAULT);
            int jobs = config.restoreJobs(d);
            String jobsFrom = d.restoreJobs() > 0
                    ? "database"
                    : config.restoreJobs() > 0 ? "defaults.restore_jobs" : "one per core";
            dbs.add(new Inventory.DatabaseEntry(
                    d.name(),
                    d.host(),
                    d.port(),
                    d.dbname(),
                    d.user(),
                    store,
                    source,
                    c.setting().method().id(),
                    level(c.setting()),
                    c.source(),
                    jobs,
                    jobsFrom));
        }
        List<Inventory.StoreEntry> stores = config.stores().values().stream()
                .map(s -> new Inventory.StoreEntry(
                        s.name(),
                        s.uri().toString(),
                        s.compression() == null
                                ? null
                                : s.compression().method().id(),
                        s.compression() == null ? null : level(s.compression())))
                .toList();
        List<Inventory.DirectoryEntry> dirs = new ArrayList<>();
        for (DirectoryConfig d : config.directories().values()) {
            StoreConfig sc = config.storeFor(d, null);
            Effective c = effective(d.compression(), "directory", sc, CompressionSetting.DIRECTORY_DEFAULT);
            dirs.add(new Inventory.DirectoryEntry(
                    d.name(),
                    d.path().toString(),
                    sc.name(),
                    c.setting().method().id(),
                    level(c.setting()),
                    c.source(),
                    d.excludes()));
        }
        return new Inventory(
                config.source() == null ? "embedded defaults" : config.source().toString(),
                dbs,
                stores,
                config.defaultDatabase(),
                config.defaultStore(),
                dirs,
                config.sets().values().stream()
                        .map(s -> new Inventory.SetEntry(s.name(), s.members()))
                        .toList(),
                objectives(config),
                config.notifyTargets().stream()
                        .map(t -> new Inventory.NotifyEntry(
                                t.name(),
                                t.kind().name().toLowerCase(java.util.Locale.ROOT),
                                t.mail() != null
                                        ? "smtp://" + t.mail().host() + ":"
                                                + t.mail().port() + " to "
                                                + String.join(", ", t.mail().to())
                                        : dev.lifeboat.core.base.Redactor.global()
                                                .redact(t.url().toString()),
                                t.kind() == dev.lifeboat.core.config.NotifyTarget.Kind.PING
                                        ? List.of()
                                        : t.events().stream().sorted().toList(),
                                t.secretEnv()))
                        .toList());
    }

    private static List<Inventory.ObjectiveEntry> objectives(LifeboatConfig config) {
        List<Inventory.ObjectiveEntry> out = new ArrayList<>();
        var declared = config.objectiveSettings();
        for (String name : config.databases().keySet()) {
            objective(out, name, "database", declared.ofSource(name));
        }
        for (String name : config.directories().keySet()) {
            objective(out, name, "directory", declared.ofSource(name));
        }
        for (String name : config.sets().keySet()) {
            objective(out, name, "set", declared.ofSet(name));
        }
        return out;
    }

    private static void objective(
            List<Inventory.ObjectiveEntry> out, String name, String kind, dev.lifeboat.core.config.Objectives o) {
        if (o.any()) {
            out.add(new Inventory.ObjectiveEntry(
                    name,
                    kind,
                    o.rpo() == null ? null : dev.lifeboat.core.config.Durations.text(o.rpo()),
                    o.drillEvery() == null ? null : dev.lifeboat.core.config.Durations.text(o.drillEvery()),
                    o.copies() == 0 ? null : o.copies()));
        }
    }

    private record Effective(CompressionSetting setting, String source) {}

    private static Effective effective(
            CompressionSetting own, String kind, StoreConfig store, CompressionSetting fallback) {
        if (own != null) {
            return new Effective(own, kind);
        }
        if (store != null && store.compression() != null) {
            return new Effective(store.compression(), "store '" + store.name() + "'");
        }
        return new Effective(fallback, "default");
    }

    private static Integer level(CompressionSetting s) {
        return s.level() == -1 ? null : s.level();
    }
}
