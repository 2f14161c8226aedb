package dev.lifeboat.core.catalog;

import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rebuildable local copy of one store's manifests, so that listing a store costs one store listing
 * plus one file read instead of one read (one GET, on an object store) per backup.
 *
 * <p>Manifests are create-only and never change, so an entry is valid for as long as the store
 * still lists its key with the same size and modification time: the store's listing, not the cache,
 * decides what exists. A backup deleted by another process is not listed (its key is gone), a
 * half-written backup has no manifest key yet, and a manifest put back under the same key with other
 * content has another size or time and is read again. The cache is one binary file under
 * {@code state_dir/cache/} ({@link ManifestCodec}: read at every listing, so no JSON parse), named by
 * a hash of the store's description, written whole to a
 * temporary file and renamed into place, so readers never see a partial file. A file that cannot be
 * read, parsed or checked is ignored and rebuilt; failing to write it only costs speed. Deleting
 * the directory is always safe.
 */
public final class ManifestCache {
    static final int VERSION = 2;
    private static final String SUFFIX = ".bin";
    private static final Logger LOG = LoggerFactory.getLogger(ManifestCache.class);
    private static final ManifestCache NONE = new ManifestCache(null, null);

    private final Path file;
    private final String store;

    private ManifestCache(Path file, String store) {
        this.file = file;
        this.store = store;
    }

    /** A cache that holds nothing: every listing reads every manifest from the store. */
    public static ManifestCache none() {
        return NONE;
    }

    /** The cache of {@code store}'s manifests under {@code stateDir/cache}. */
    public static ManifestCache in(Path stateDir, BackupStore store) {
        String description = store.describe();
        String name = "manifests-" + sha256(description).substring(0, 24) + SUFFIX;
        return new ManifestCache(stateDir.resolve("cache").resolve(name), description);
    }

    /** The file this cache lives in; null for {@link #none()}. */
    public Path file() {
        return file;
    }

    /**
     * One cached manifest and the listing facts it was read under.
     *
     * @param key the manifest's object key
     * @param size the object's size when it was read
     * @param lastModified the object's modification time when it was read
     * @param manifest the parsed manifest
     */
    public record Entry(String key, long size, Instant lastModified, Manifest manifest) {
        /** Whether this entry still describes the object the store lists now. */
        boolean describes(ObjectInfo listed) {
            return key.equals(listed.key())
                    && size == listed.size()
                    && lastModified != null
                    && lastModified.equals(listed.lastModified());
        }
    }

    /**
     * Which Lifeboat wrote the file: a cache written by another version is not used (an older version
     * maps fewer manifest fields, and a newer one reading its entries would list backups with fields
     * missing).
     */
    private static String writer() {
        return "lifeboat " + dev.lifeboat.core.base.Version.get() + ", manifest formats to " + Manifest.NEWEST_FORMAT;
    }

    /** The entries by key; empty when there is no usable cache (missing, foreign, corrupt). */
    Map<String, Entry> load() {
        if (file == null) {
            return new HashMap<>();
        }
        Map<String, Entry> out = new HashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            ManifestCodec.Reader r = new ManifestCodec.Reader(in);
            if (r.empty()) {
                return out;
            }
            if (!r.magic() || r.varLong() != VERSION || !store.equals(r.string()) || !writer().equals(r.string())) {
                LOG.debug("ignoring manifest cache {}: written for another store or by another version", file);
                return new HashMap<>();
            }
            while (r.bool()) {
                Entry e = new Entry(r.string(), r.zigZag(), r.instant(), ManifestCodec.read(r));
                if (!plausible(e)) {
                    LOG.warn("ignoring manifest cache {}: an entry does not check out; rebuilding it", file);
                    return new HashMap<>();
                }
                out.put(e.key(), e);
            }
            r.end();
            return out;
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable manifest cache {} ({}); rebuilding it", file, e.getMessage());
            return new HashMap<>();
        }
    }

    /** Replaces the cache with {@code entries}. Best effort: a failure is logged and costs only speed. */
    void save(Collection<Entry> entries) {
        if (file == null) {
            return;
        }
        Path dir = file.getParent();
        Path temp = null;
        try {
            PrivateDirectories.ensure(dir); // and state_dir itself, owner-only, when it is missing
            temp = Files.createTempFile(
                    dir,
                    ".manifests-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(
                            temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    ManifestCodec.Writer w = new ManifestCodec.Writer(out)) {
                write(w, store, writer(), entries);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            // the JSON-lines cache of earlier versions, under the same hash: replaced by this file
            Files.deleteIfExists(dir.resolve(file.getFileName().toString().replace(SUFFIX, ".jsonl")));
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot write manifest cache {}: {}", file, e.toString());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a stray temporary file is ignored by load and replaced by the next save
                }
            }
        }
    }

    /**
     * The cache file's content: its header ({@code writer}, the Lifeboat that wrote it, is checked on
     * load) and the entries, each flagged present, then an end flag.
     */
    static void write(ManifestCodec.Writer w, String store, String writer, Collection<Entry> entries)
            throws IOException {
        w.raw(ManifestCodec.MAGIC);
        w.varLong(VERSION);
        w.string(store);
        w.string(writer);
        for (Entry e : entries) {
            w.bool(true);
            w.string(e.key());
            w.zigZag(e.size());
            w.instant(e.lastModified());
            ManifestCodec.write(w, e.manifest());
        }
        w.bool(false);
    }

    /** The checks {@link Catalog} applies to a manifest it reads, applied again to what it cached. */
    private static boolean plausible(Entry e) {
        if (e == null || e.key() == null || e.manifest() == null) {
            return false;
        }
        Manifest m = e.manifest();
        String[] parts = e.key().split("/");
        return parts.length == 3
                && parts[2].equals(Catalog.MANIFEST)
                && Objects.equals(parts[1], m.id())
                && m.sha256() != null
                && m.createdAt() != null
                && m.database() != null;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
