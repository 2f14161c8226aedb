package dev.lifeboat.core.manage;

import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.context.LifeboatContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listings that read manifests and drill records only: they work while every database is down. */
public final class ListBackups {
    private static final Logger LOG = LoggerFactory.getLogger(ListBackups.class);

    private final LifeboatContext ctx;
    private final LifeboatConfig config;

    public ListBackups(LifeboatContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
    }

    /** Committed backups, newest first. Reads manifests only: works while the database is down. */
    public List<BackupRecord> list(ListBackupsQuery query) {
        if (query.database() != null) {
            BackupId.requireName(query.database(), "database name");
        }
        List<StoreConfig> targets = ctx.storesOrAll(query.store());
        List<BackupRecord> out = new ArrayList<>();
        for (StoreConfig sc : targets) {
            for (Manifest m : ctx.listing(sc).list(query.database())) {
                if (query.since() == null || !m.createdAt().isBefore(query.since())) {
                    out.add(new BackupRecord(sc.name(), m));
                }
            }
        }
        out.sort(Comparator.comparing((BackupRecord r) -> r.manifest().createdAt())
                .thenComparing(r -> r.manifest().id())
                .thenComparing(BackupRecord::store)
                .reversed());
        return query.limit() > 0 && out.size() > query.limit() ? List.copyOf(out.subList(0, query.limit())) : out;
    }

    /** Restore drill records (evidence) of one database, or all, newest first. */
    public List<DrillRecord> drills(String database, String store) {
        if (database != null) {
            BackupId.requireName(database, "database name");
        }
        List<StoreConfig> targets = ctx.storesOrAll(store);
        List<DrillRecord> out = new ArrayList<>();
        for (StoreConfig sc : targets) {
            out.addAll(new Catalog(ctx.store(sc)).drills(database));
        }
        out.sort(Comparator.comparing(DrillRecord::startedAt).reversed());
        return out;
    }
}
