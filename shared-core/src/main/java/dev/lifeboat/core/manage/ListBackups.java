package dev.lifeboat.core.manage;

import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
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

    public ListBackups(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /** Committed backups, newest first. Reads manifests only: works while the database is down. */
    public List<BackupRecord> list(ListBackupsQuery query) {
        return listed(query, false).backups();
    }

    /**
     * Committed backups, and how many leftovers {@code gc} would remove that this listing saw on the
     * way (uncommitted data in the listings it made anyway, this host's stale spool files and
     * passfiles, local stores' temporary files): 0 does not promise there are none in remote stores.
     */
    public record Listed(List<BackupRecord> backups, int leftovers) {}

    /** {@link #list}, with the count of leftovers seen on the way. */
    public Listed listed(ListBackupsQuery query) {
        return listed(query, true);
    }

    private Listed listed(ListBackupsQuery query, boolean countLeftovers) {
        if (query.database() != null) {
            BackupId.requireName(query.database(), "database name");
        }
        List<StoreConfig> targets = ctx.storesOrAll(query.store());
        List<BackupRecord> out = new ArrayList<>();
        java.util.Map<StoreConfig, Catalog.Listing> listings = new java.util.LinkedHashMap<>();
        for (StoreConfig sc : targets) {
            Catalog.Listing listing = ctx.listing(sc).listing(query.database());
            listings.put(sc, listing);
            for (Manifest m : listing.manifests()) {
                if (query.since() == null || !m.createdAt().isBefore(query.since())) {
                    out.add(new BackupRecord(sc.name(), m));
                }
            }
        }
        out.sort(Comparator.comparing((BackupRecord r) -> r.manifest().createdAt())
                .thenComparing(r -> r.manifest().id())
                .thenComparing(BackupRecord::store)
                .reversed());
        List<BackupRecord> shown =
                query.limit() > 0 && out.size() > query.limit() ? List.copyOf(out.subList(0, query.limit())) : out;
        // a local store listed whole saw its temporary files on the way; listed in part, counting walks
        // it once more for them: only a listing that shows the count pays
        return new Listed(shown, countLeftovers ? new Leftovers(ctx).countSeen(listings) : 0);
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
