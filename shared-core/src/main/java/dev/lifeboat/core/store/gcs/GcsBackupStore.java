package dev.lifeboat.core.store.gcs;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.store.ObjectListing;
import dev.lifeboat.core.store.StoreCapabilities;
import dev.lifeboat.core.store.StoreErrors;
import dev.lifeboat.core.store.StoreKeys;
import dev.lifeboat.core.store.gcs.GcsErrors.SourceFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store in a Google Cloud Storage bucket, under an optional object-name prefix.
 *
 * <p>Writes are resumable uploads through a {@link WriteChannel}: the first {@code chunk_size}
 * bytes are read before the upload is opened (so a stream that fails early costs nothing), then the
 * channel sends a chunk at a time, holding one chunk in memory. An upload becomes an object only
 * when the channel is closed; on any failure it is never closed, so the unfinalized session expires
 * on its own and nothing is listed. Create-only writes carry {@code ifGenerationMatch=0}
 * ({@code doesNotExist}), which GCS enforces. Reads pin the generation they found, so an object
 * replaced mid-read fails rather than mixing two versions. Transient failures are retried by the
 * client library ({@code max_attempts}); what it throws is translated by {@link GcsErrors}. The client
 * is made by {@link GcsClients}.
 */
public final class GcsBackupStore implements BackupStore {
    private final GcsSettings settings;
    private final Storage storage;
    private final GcsErrors errors;

    GcsBackupStore(GcsSettings settings, Storage storage) {
        this.settings = settings;
        this.storage = storage;
        this.errors = new GcsErrors(settings);
    }

    /** Opens the store a config entry names, with credentials from its key file or ADC. */
    public static GcsBackupStore open(StoreConfig config, Map<String, String> env) {
        GcsSettings s = GcsSettings.parse(config);
        return new GcsBackupStore(s, GcsClients.storage(s));
    }

    public GcsSettings settings() {
        return settings;
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(true, false, true);
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    @Override
    public ObjectInfo put(String key, InputStream data, boolean createOnly) {
        StoreKeys.requireValid(key);
        BlobInfo info = BlobInfo.newBuilder(blobId(key))
                .setContentType("application/octet-stream")
                .build();
        if (createOnly && stat(key).isPresent()) {
            // fail before sending gigabytes; the precondition below closes the race
            throw errors.alreadyExists(key);
        }
        try {
            byte[] first = read(data, settings.chunkSize(), key);
            WriteChannel out;
            try {
                out = createOnly ? storage.writer(info, Storage.BlobWriteOption.doesNotExist()) : storage.writer(info);
                out.setChunkSize(settings.chunkSize());
            } catch (RuntimeException e) {
                throw errors.translate("open upload", key, e);
            }
            long size = 0;
            try {
                writeFully(out, first, first.length, key);
                size += first.length;
                if (first.length == settings.chunkSize()) {
                    byte[] buf = new byte[1 << 20];
                    int n;
                    while ((n = read(data, buf, key)) > 0) {
                        writeFully(out, buf, n, key);
                        size += n;
                    }
                }
                // closing finalizes the object; a failure above leaves the session unfinalized
                out.close();
            } catch (IOException | RuntimeException e) {
                if (e instanceof SourceFailure || e instanceof LifeboatException) {
                    throw (RuntimeException) e;
                }
                throw errors.translate("upload", key, e);
            }
            return new ObjectInfo(key, size, Instant.now());
        } catch (SourceFailure sf) {
            throw sf.original();
        }
    }

    private void writeFully(WriteChannel out, byte[] buf, int len, String key) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            out.write(bb);
        }
    }

    @Override
    public InputStream get(String key) {
        StoreKeys.requireValid(key);
        Blob blob = blob(key).orElseThrow(() -> errors.notFound(key));
        try {
            ReadChannel in = storage.reader(BlobId.of(settings.bucket(), objectName(key), blob.getGeneration()));
            in.setChunkSize(2 << 20);
            return Channels.newInputStream(in);
        } catch (RuntimeException e) {
            throw errors.translate("read", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        StoreKeys.requireValid(key);
        return blob(key).map(b -> new ObjectInfo(key, b.getSize(), updated(b)));
    }

    private Optional<Blob> blob(String key) {
        try {
            Blob b = storage.get(blobId(key));
            // an object without a size is an upload not yet finalized (only test doubles report one)
            return b == null || b.getSize() == null ? Optional.empty() : Optional.of(b);
        } catch (RuntimeException e) {
            StoreErrors.throwUnlessNotFound(errors.translate("stat", key, e));
            return Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectListing listing = new ObjectListing(settings.prefix(), prefix);
        try {
            // iterateAll follows nextPageToken; no pageSize, which the in-memory test double mishandles
            for (Blob b : storage.list(settings.bucket(), Storage.BlobListOption.prefix(listing.backendPrefix()))
                    .iterateAll()) {
                String key = listing.key(b.getName());
                if (key == null || b.isDirectory() || b.getSize() == null) {
                    continue;
                }
                listing.add(key, b.getSize(), updated(b));
            }
        } catch (RuntimeException e) {
            throw errors.translate("list", listing.describe(), e);
        }
        return listing.sorted();
    }

    @Override
    public void delete(String key) {
        StoreKeys.requireValid(key);
        try {
            storage.delete(blobId(key));
        } catch (RuntimeException e) {
            StoreErrors.throwUnlessNotFound(errors.translate("delete", key, e));
        }
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            // nothing is pending: every call above completes before it returns
        }
    }

    String objectName(String key) {
        return settings.objectName(key);
    }

    private BlobId blobId(String key) {
        return BlobId.of(settings.bucket(), objectName(key));
    }

    private static Instant updated(Blob b) {
        OffsetDateTime t = b.getUpdateTimeOffsetDateTime();
        return t == null ? null : t.toInstant();
    }

    private byte[] read(InputStream in, int limit, String key) {
        byte[] buf = new byte[Math.min(limit, 1 << 16)];
        int len = 0;
        while (len < limit) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(limit, (long) buf.length * 4));
            }
            int r = read(in, buf, len, buf.length - len, key);
            if (r < 0) {
                break;
            }
            len += r;
        }
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    private int read(InputStream in, byte[] buf, String key) {
        int len = 0;
        while (len < buf.length) {
            int r = read(in, buf, len, buf.length - len, key);
            if (r < 0) {
                break;
            }
            len += r;
        }
        return len;
    }

    /** What the caller's stream throws is the caller's failure: it passes through unchanged. */
    private int read(InputStream in, byte[] buf, int off, int len, String key) {
        try {
            return in.read(buf, off, len);
        } catch (IOException e) {
            throw new SourceFailure(StoreErrors.sourceUnreadable(key, describe(), e));
        } catch (RuntimeException e) {
            throw new SourceFailure(e);
        }
    }
}
