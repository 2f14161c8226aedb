package dev.lifeboat.core.store.gcs;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.FilePermissions;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.store.StoreCapabilities;
import dev.lifeboat.core.store.StoreKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * client library ({@code max_attempts}).
 */
public final class GcsBackupStore implements BackupStore {
    private final GcsSettings settings;
    private final Storage storage;

    GcsBackupStore(GcsSettings settings, Storage storage) {
        this.settings = settings;
        this.storage = storage;
    }

    /** Opens the store a config entry names, with credentials from its key file or ADC. */
    public static GcsBackupStore open(StoreConfig config, Map<String, String> env) {
        GcsSettings s = GcsSettings.parse(config);
        StorageOptions.Builder b = StorageOptions.newBuilder()
                .setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder()
                        .setMaxAttempts(s.maxAttempts())
                        .build());
        if (s.credentialsFile() != null) {
            String setting = "stores." + s.storeName() + ".credentials_file";
            if (!Files.isRegularFile(s.credentialsFile())) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        setting + ": " + s.credentialsFile() + " does not exist",
                        "give the path of a service-account JSON key, or remove the setting to use ADC");
            }
            FilePermissions.requireOwnerOnly(s.credentialsFile(), setting);
            try (InputStream in = Files.newInputStream(s.credentialsFile())) {
                b.setCredentials(GoogleCredentials.fromStream(in));
            } catch (IOException | RuntimeException e) {
                // the parser's message may quote the file; say only what kind of failure it was
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        setting + ": " + s.credentialsFile() + " is not a readable credentials file ("
                                + e.getClass().getSimpleName() + ")",
                        "download a service-account JSON key, or remove the setting to use ADC");
            }
        } else if (s.endpoint() != null) {
            // emulators take no credentials, and ADC may not exist where they run
            b.setCredentials(NoCredentials.getInstance());
        }
        if (s.projectId() != null) {
            b.setProjectId(s.projectId());
        }
        if (s.endpoint() != null) {
            b.setHost(s.endpoint().toString());
        }
        try {
            return new GcsBackupStore(s, b.build().getService());
        } catch (RuntimeException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot open " + s.describe() + ": " + e.getMessage(),
                    "without credentials_file, Application Default Credentials are used: run 'gcloud auth"
                            + " application-default login' or set GOOGLE_APPLICATION_CREDENTIALS");
        }
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
            throw alreadyExists(key);
        }
        try {
            byte[] first = read(data, settings.chunkSize(), key);
            WriteChannel out;
            try {
                out = createOnly ? storage.writer(info, Storage.BlobWriteOption.doesNotExist()) : storage.writer(info);
                out.setChunkSize(settings.chunkSize());
            } catch (RuntimeException e) {
                throw translate("open upload", key, e);
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
                throw translate("upload", key, e);
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
        Blob blob = blob(key).orElseThrow(() -> notFound(key));
        try {
            ReadChannel in = storage.reader(BlobId.of(settings.bucket(), objectName(key), blob.getGeneration()));
            in.setChunkSize(2 << 20);
            return Channels.newInputStream(in);
        } catch (RuntimeException e) {
            throw translate("read", key, e);
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
            LifeboatException t = translate("stat", key, e);
            if (t.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw t;
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        String p = StoreKeys.requireValidPrefix(prefix);
        String root = settings.prefix().isEmpty() ? "" : settings.prefix() + "/";
        List<ObjectInfo> out = new ArrayList<>();
        try {
            // iterateAll follows nextPageToken; no pageSize, which the in-memory test double mishandles
            for (Blob b : storage.list(settings.bucket(), Storage.BlobListOption.prefix(root + p))
                    .iterateAll()) {
                String rel = b.getName().substring(root.length());
                if (rel.isEmpty() || rel.endsWith("/") || b.isDirectory() || b.getSize() == null) {
                    continue;
                }
                out.add(new ObjectInfo(rel, b.getSize(), updated(b)));
            }
        } catch (RuntimeException e) {
            throw translate("list", p.isEmpty() ? "(all)" : p, e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void delete(String key) {
        StoreKeys.requireValid(key);
        try {
            storage.delete(blobId(key));
        } catch (RuntimeException e) {
            LifeboatException t = translate("delete", key, e);
            if (t.code() != ErrorCode.NOT_FOUND) {
                throw t;
            }
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
        return settings.prefix().isEmpty() ? key : settings.prefix() + "/" + key;
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
            throw new SourceFailure(new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot put '" + key + "' in " + describe() + ": reading the data failed: " + e.getMessage(),
                    null,
                    e));
        } catch (RuntimeException e) {
            throw new SourceFailure(e);
        }
    }

    /** Carries a failure of the caller's stream past the catch blocks meant for the backend's. */
    private static final class SourceFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient RuntimeException original;

        SourceFailure(RuntimeException original) {
            super(null, null, false, false);
            this.original = original;
        }

        RuntimeException original() {
            return original;
        }
    }

    private LifeboatException notFound(String key) {
        return new LifeboatException(ErrorCode.NOT_FOUND, "no object '" + key + "' in " + describe(), null);
    }

    private LifeboatException alreadyExists(String key) {
        return new LifeboatException(
                ErrorCode.ALREADY_EXISTS,
                "object '" + key + "' already exists in " + describe(),
                "another writer committed it first; nothing was overwritten");
    }

    /**
     * Turns a client-library failure into a LifeboatException naming the operation, bucket and
     * object. The library's exception is not kept as the cause; its code and message are.
     */
    LifeboatException translate(String operation, String key, Throwable t) {
        if (t instanceof SourceFailure sf) {
            return sf.original() instanceof LifeboatException le
                    ? le
                    : new LifeboatException(ErrorCode.INTERNAL, "unexpected source failure", null, sf.original());
        }
        if (t instanceof LifeboatException le) {
            return le;
        }
        Throwable e = t;
        while (!(e instanceof BaseServiceException) && e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        String where = "gs://" + settings.bucket() + "/" + objectName(key) + " (" + operation + ")";
        String store = "stores." + settings.storeName();
        if (hasCause(t, FileAlreadyExistsException.class)) {
            return alreadyExists(key);
        }
        if (e instanceof BaseServiceException se) {
            int code = se.getCode();
            String what = code + (se.getReason() == null ? "" : " " + se.getReason()) + ": " + se.getMessage();
            if (code == 412) {
                return alreadyExists(key);
            }
            if (code == 404) {
                String m = String.valueOf(se.getMessage()).toLowerCase(java.util.Locale.ROOT);
                if (m.contains("bucket")) {
                    return new LifeboatException(
                            ErrorCode.STORE_UNAVAILABLE,
                            "bucket '" + settings.bucket() + "' does not exist: " + where,
                            "check the bucket in " + store + ".uri");
                }
                return notFound(key);
            }
            if (code == 401 || code == 403) {
                return new LifeboatException(
                        ErrorCode.STORE_UNAVAILABLE,
                        "access denied at " + where + ": " + what,
                        "check the credentials (" + store + ".credentials_file or Application Default Credentials)"
                                + " and that they hold roles/storage.objectAdmin (or objectCreator + objectViewer)"
                                + " on the bucket");
            }
            return new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot reach the object at " + where + ": " + what,
                    se.isRetryable() || code >= 500 || code == 429
                            ? "the store kept failing after " + settings.maxAttempts()
                                    + " attempts; check its status and try again later"
                            : "check the store settings in " + store);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new LifeboatException(
                ErrorCode.STORE_UNAVAILABLE,
                "cannot reach the object at " + where + ": " + detail,
                "check the network path to Google Cloud Storage and try again");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
