package dev.lifeboat.core.catalog;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Backups as objects in one store: {@code <database>/<id>/dump} holds the archive and
 * {@code <database>/<id>/manifest.json}, written last and create-only, is the commit marker. A backup
 * whose manifest is missing was never committed and is never listed.
 */
public final class Catalog {
    public static final String DUMP = "dump";
    public static final String MANIFEST = "manifest.json";
    public static final String ROLES = "roles.sql";
    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    private static final int MAX_MANIFEST_BYTES = 4 << 20;
    private static final java.time.format.DateTimeFormatter DRILL_STAMP = java.time.format.DateTimeFormatter.ofPattern(
                    "uuuuMMdd'T'HHmmss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final BackupStore store;
    private final ManifestCache cache;

    public Catalog(BackupStore store) {
        this(store, ManifestCache.none());
    }

    /** A catalog whose {@link #list} keeps {@code cache} and serves unchanged manifests from it. */
    public Catalog(BackupStore store, ManifestCache cache) {
        this.store = store;
        this.cache = cache;
    }

    public BackupStore store() {
        return store;
    }

    public static String prefix(BackupId id) {
        return id.database() + "/" + id.value() + "/";
    }

    public static String dumpKey(BackupId id) {
        return prefix(id) + DUMP;
    }

    public static String manifestKey(BackupId id) {
        return prefix(id) + MANIFEST;
    }

    /** Where a backup that keeps roles stores them ({@code globals: roles}). */
    public static String rolesKey(BackupId id) {
        return prefix(id) + ROLES;
    }

    /** The stored roles object of a backup that keeps roles (encrypted like its data). */
    public InputStream openRoles(BackupId id) {
        return store.get(rolesKey(id));
    }

    /** Stores a backup's data; the backup stays invisible until {@link #commit}. */
    public ObjectInfo putData(BackupId id, InputStream data) {
        return store.put(dumpKey(id), data, true);
    }

    /** Writes the manifest, create-only: the backup is now complete and listed. */
    public void commit(Manifest manifest) {
        byte[] json = ManifestJson.write(manifest);
        store.put(manifestKey(manifest.backupId()), new ByteArrayInputStream(json), true);
        Timeline.mark("manifest committed");
    }

    /** The manifest of a committed backup, or empty. */
    public Optional<Manifest> find(BackupId id) {
        String key = manifestKey(id);
        if (store.stat(key).isEmpty()) {
            return Optional.empty();
        }
        Manifest m = read(key);
        if (!id.value().equals(m.id())) {
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    "manifest " + key + " in " + store.describe() + " names backup '" + m.id() + "', not '" + id + "'",
                    "the store was edited by hand; restore the original manifest or delete the backup");
        }
        return Optional.of(m);
    }

    /**
     * Committed backups (of one database, or all when {@code database} is null), newest first. What
     * exists is decided by one listing of the store; a manifest the cache holds for the same key,
     * size and time is not read again (see {@link ManifestCache}).
     */
    public List<Manifest> list(String database) {
        return listing(database).manifests();
    }

    /**
     * What one listing of the store holds for {@code database} (or all): the committed backups, as
     * {@link #list} returns them, and the objects under a backup's prefix that has no manifest (data of
     * a backup whose writer died before its commit, or whose delete was interrupted after the manifest
     * went), which nothing lists and only {@code gc} removes; and the store's {@link
     * BackupStore#unfinishedWrites} when the same pass saw them (else null: see {@link
     * BackupStore#listWithUnfinished}).
     */
    public record Listing(List<Manifest> manifests, List<ObjectInfo> uncommitted, List<ObjectInfo> unfinished) {}

    /** {@link #list}, with the uncommitted objects that the same store listing shows. */
    public Listing listing(String database) {
        String prefix = database == null ? "" : database + "/";
        // the cache file is read on another thread while the store is listed: both take a while at
        // 10,000 backups, and neither needs the other
        CompletableFuture<Map<String, ManifestCache.Entry>> loading = cache == ManifestCache.none()
                ? CompletableFuture.completedFuture(new HashMap<>())
                : CompletableFuture.supplyAsync(cache::load);
        BackupStore.Listed listed = store.listWithUnfinished(prefix);
        List<ObjectInfo> objects = listed.objects();
        Timeline.mark("store listed (" + objects.size() + " objects)");
        Map<String, ManifestCache.Entry> cached = loading.join();
        Timeline.mark("manifest cache loaded (" + cached.size() + " entries)");
        List<ManifestCache.Entry> fresh = new ArrayList<>();
        boolean changed = false;
        List<Manifest> out = new ArrayList<>();
        Map<String, List<ObjectInfo>> byBackup = new java.util.LinkedHashMap<>();
        java.util.Set<String> committed = new java.util.HashSet<>();
        for (ObjectInfo o : objects) {
            String[] parts = o.key().split("/");
            if (parts.length >= 3) {
                byBackup.computeIfAbsent(parts[0] + "/" + parts[1] + "/", k -> new ArrayList<>())
                        .add(o);
            }
            if (parts.length != 3 || !parts[2].equals(MANIFEST)) {
                continue;
            }
            committed.add(parts[0] + "/" + parts[1] + "/");
            BackupId id;
            try {
                id = BackupId.parse(parts[1]);
            } catch (LifeboatException e) {
                continue; // not ours
            }
            if (!id.database().equals(parts[0])) {
                continue;
            }
            ManifestCache.Entry hit = cached.remove(o.key());
            if (hit != null && hit.describes(o)) {
                out.add(hit.manifest());
                fresh.add(hit);
                continue;
            }
            try {
                Manifest m = read(o.key());
                if (id.value().equals(m.id())) {
                    out.add(m);
                    fresh.add(new ManifestCache.Entry(o.key(), o.size(), o.lastModified(), m));
                    changed = true; // an unreadable manifest is not cached, so it changes nothing
                } else {
                    LOG.warn("skipping {}: it names backup {}", o.key(), m.id());
                }
            } catch (LifeboatException e) {
                if (e.code() == ErrorCode.STORE_UNAVAILABLE) {
                    throw e;
                }
                LOG.warn("skipping unreadable manifest {}: {}", o.key(), e.getMessage());
            }
        }
        // what is left in `cached` under this prefix is gone from the store: drop it; keep the rest
        int before = cached.size();
        cached.keySet().removeIf(k -> k.startsWith(prefix));
        Timeline.mark("manifests matched to the listing (" + out.size() + ")");
        if (changed || cached.size() != before) {
            fresh.addAll(cached.values());
            cache.save(fresh);
            Timeline.mark("manifest cache written");
        }
        out.sort(Comparator.comparing(Manifest::createdAt)
                .thenComparing(Manifest::id)
                .reversed());
        List<ObjectInfo> uncommitted = new ArrayList<>();
        byBackup.forEach((backupPrefix, objs) -> {
            if (!committed.contains(backupPrefix) && isBackupPrefix(backupPrefix)) {
                uncommitted.addAll(objs);
            }
        });
        return new Listing(out, uncommitted, listed.unfinished());
    }

    /** Whether {@code p} ({@code <database>/<id>/}) names a backup: an id of that database. */
    private static boolean isBackupPrefix(String p) {
        String[] parts = p.split("/");
        try {
            return BackupId.parse(parts[1]).database().equals(parts[0]);
        } catch (LifeboatException e) {
            return false; // not ours: gc leaves what it does not recognise alone
        }
    }

    public InputStream openData(BackupId id) {
        return store.get(dumpKey(id));
    }

    public Optional<ObjectInfo> statData(BackupId id) {
        return store.stat(dumpKey(id));
    }

    public Optional<Path> localData(BackupId id) {
        return store.capabilities().localFiles() ? store.localFile(dumpKey(id)) : Optional.empty();
    }

    /** Stores a restore drill's evidence beside its backup, as {@code drills/<started>.json}. */
    public void putDrill(BackupId id, DrillRecord record) {
        String stamp = DRILL_STAMP.format(record.startedAt());
        byte[] json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
        String key = prefix(id) + "drills/" + stamp + ".json";
        try {
            store.put(key, new ByteArrayInputStream(json), true);
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.ALREADY_EXISTS) {
                throw e;
            }
            // two drills of one backup in the same millisecond: keep both
            store.put(
                    prefix(id) + "drills/" + stamp + "-" + System.nanoTime() + ".json",
                    new ByteArrayInputStream(json),
                    true);
        }
    }

    /** Drill records of one database (or all), newest first. Unreadable records are skipped. */
    public List<DrillRecord> drills(String database) {
        String prefix = database == null ? "" : database + "/";
        List<DrillRecord> out = new ArrayList<>();
        for (ObjectInfo o : store.list(prefix)) {
            String[] parts = o.key().split("/");
            if (parts.length != 4 || !parts[2].equals("drills") || !parts[3].endsWith(".json")) {
                continue;
            }
            try (InputStream in = store.get(o.key())) {
                out.add(Json.mapper().readValue(in.readNBytes(MAX_MANIFEST_BYTES), DrillRecord.class));
            } catch (IOException | JacksonException e) {
                LOG.warn("skipping unreadable drill record {}: {}", o.key(), e.getMessage());
            }
        }
        out.sort(Comparator.comparing(DrillRecord::startedAt).reversed());
        return out;
    }

    /**
     * Per source, its newest drill and its newest passing drill.
     *
     * @param newest the newest drill record, whatever its result
     * @param newestPass the newest drill of the whole backup that passed, or null (a selective drill
     *     proves only its tables: it does not meet drill_every, and prune does not keep a backup for it)
     */
    public record DrillSummary(DrillRecord newest, DrillRecord newestPass) {}

    /**
     * Each source's {@link DrillSummary}, from one listing: records are read newest first (their keys
     * carry the start time) and no further than the first that passed, so a store with years of drills
     * costs a read or two per source rather than one per drill ({@code lifeboat status}, {@code /metrics}).
     * Unreadable records are skipped.
     */
    public Map<String, DrillSummary> drillSummaries() {
        Map<String, List<String>> keys = new HashMap<>();
        for (ObjectInfo o : store.list("")) {
            String[] parts = o.key().split("/");
            if (parts.length == 4 && parts[2].equals("drills") && parts[3].endsWith(".json")) {
                keys.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(o.key());
            }
        }
        Map<String, DrillSummary> out = new HashMap<>();
        for (Map.Entry<String, List<String>> e : keys.entrySet()) {
            List<String> newestFirst = new ArrayList<>(e.getValue());
            newestFirst.sort(Comparator.comparing((String k) -> k.substring(k.lastIndexOf('/') + 1))
                    .reversed());
            DrillRecord newest = null;
            DrillRecord pass = null;
            for (String key : newestFirst) {
                DrillRecord d = readDrill(key);
                if (d == null) {
                    continue;
                }
                if (newest == null) {
                    newest = d;
                }
                if (d.passed() && d.whole()) {
                    pass = d;
                    break;
                }
            }
            if (newest != null) {
                out.put(e.getKey(), new DrillSummary(newest, pass));
            }
        }
        return out;
    }

    private DrillRecord readDrill(String key) {
        try (InputStream in = store.get(key)) {
            return Json.mapper().readValue(in.readNBytes(MAX_MANIFEST_BYTES), DrillRecord.class);
        } catch (IOException | JacksonException e) {
            LOG.warn("skipping unreadable drill record {}: {}", key, e.getMessage());
            return null;
        }
    }

    /** Removes a backup: the manifest first, so an interrupted delete never leaves a listed backup without data. */
    public void delete(BackupId id) {
        store.delete(manifestKey(id));
        store.delete(dumpKey(id));
        for (ObjectInfo o : store.list(prefix(id))) {
            store.delete(o.key());
        }
    }

    /** Removes the data of a backup that was never committed (a failed create). */
    public void discardData(BackupId id) {
        store.delete(dumpKey(id));
    }

    /** Removes the roles of a backup that was never committed (a failed create that had stored them). */
    public void discardRoles(BackupId id) {
        store.delete(rolesKey(id));
    }

    /** Stores the roles of a backup that keeps them, create-only, before its manifest is committed. */
    public ObjectInfo putRoles(BackupId id, InputStream data) {
        return store.put(rolesKey(id), data, true);
    }

    /**
     * A manifest of a newer format whose other fields this version cannot map, read by its envelope
     * (the fields every format keeps: format_version, id, database, kind, created_at, size_bytes,
     * sha256, tool_version, label) so list can still show it; empty when it is not of a newer format.
     */
    private static Optional<Manifest> newerEnvelope(byte[] bytes) {
        tools.jackson.databind.JsonNode n;
        try {
            n = Json.mapper().readTree(bytes);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (n == null || !n.isObject() || !n.path("format_version").isIntegralNumber()) {
            return Optional.empty();
        }
        int version = n.path("format_version").asInt();
        if (version <= Manifest.NEWEST_FORMAT) {
            return Optional.empty();
        }
        java.time.Instant created;
        try {
            created = java.time.Instant.parse(n.path("created_at").asString());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(Manifest.builder()
                .formatVersion(version)
                .id(text(n, "id"))
                .database(text(n, "database"))
                .kind(text(n, "kind"))
                .sizeBytes(n.path("size_bytes").asLong(0))
                .sha256(text(n, "sha256"))
                .createdAt(created)
                .label(text(n, "label"))
                .toolVersion(text(n, "tool_version"))
                .build());
    }

    private static String text(tools.jackson.databind.JsonNode n, String field) {
        tools.jackson.databind.JsonNode v = n.get(field);
        return v == null || v.isNull() || v.isContainer() ? null : v.asString();
    }

    private Manifest read(String key) {
        byte[] bytes;
        try (InputStream in = store.get(key)) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read " + key + " from " + store.describe() + ": " + e.getMessage(),
                    null,
                    e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new LifeboatException(ErrorCode.INTEGRITY_FAILED, "manifest " + key + " is larger than 4 MiB", null);
        }
        try {
            // the plain shape without the mapper (ManifestJson); every other one as the mapper reads it
            Manifest m = ManifestJson.read(bytes);
            if (m == null) {
                try {
                    m = Json.mapper().readValue(bytes, Manifest.class);
                } catch (JacksonException e) {
                    m = newerEnvelope(bytes).orElseThrow(() -> e);
                }
            }
            if (m.id() == null || m.sha256() == null || m.createdAt() == null) {
                throw new LifeboatException(
                        ErrorCode.INTEGRITY_FAILED, "manifest " + key + " lacks id, sha256 or created_at", null);
            }
            return m;
        } catch (JacksonException e) {
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    "manifest " + key + " in " + store.describe() + " is not valid: " + e.getOriginalMessage(),
                    null,
                    e);
        }
    }
}
