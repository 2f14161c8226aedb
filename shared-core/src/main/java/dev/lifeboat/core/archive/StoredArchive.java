package dev.lifeboat.core.archive;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.HashingInputStream;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.pipe.ReadAhead;
import dev.lifeboat.core.pipe.WatchedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A backup's stored bytes read as a stream, in one pass: hashed as they arrive, decrypted when the
 * backup is encrypted, decompressed when Lifeboat compressed it, and stoppable by the caller's cancel signal.
 * The store's reads and the hash run a few buffers ahead on a thread of their own ({@link ReadAhead}). The reader consumes {@link
 * #plain()}; {@link #requireIntact} then reads any rest and compares size and SHA-256 with the
 * manifest. Nothing is spooled, so a directory archive of any size streams straight from the store.
 */
public final class StoredArchive implements AutoCloseable {
    private final Manifest manifest;
    private final InputStream stored;
    private final Cancellable source;
    private final HashingInputStream hashed;
    private final AgeIdentity identity;
    private final Compression compression;
    private InputStream plain;
    private ReadAhead ahead;
    private String sha;

    /** The stored bytes made cancellable, then hashed (with progress reported as {@code doing}). */
    private StoredArchive(
            Manifest manifest,
            InputStream stored,
            CancelSignal cancel,
            Progress progress,
            String doing,
            AgeIdentity identity,
            Compression compression) {
        this.manifest = manifest;
        this.stored = stored;
        this.source = new Cancellable(stored, cancel);
        this.hashed = new HashingInputStream(
                source, n -> progress.report(n, manifest.sizeBytes(), doing + " " + manifest.id()));
        this.identity = identity;
        this.compression = compression;
    }

    /**
     * Opens the data of {@code manifest}'s backup.
     *
     * @param identity the key for an encrypted backup (looked up by the caller before anything is read)
     */
    public static StoredArchive open(
            Catalog catalog, Manifest manifest, AgeIdentity identity, CancelSignal cancel, Progress progress) {
        return open(catalog, manifest, identity, cancel, progress, "reading");
    }

    /**
     * Opens the data of {@code rec}'s backup in the store it was found in, read with {@code context}'s
     * cancel signal and progress: what the directory restore and the directory drill both read.
     */
    public static StoredArchive open(
            LifeboatContext ctx, BackupRecord rec, AgeIdentity identity, OperationContext context) {
        Catalog catalog = new Catalog(ctx.store(ctx.config().store(rec.store())));
        return open(catalog, rec.manifest(), identity, context.cancel(), context.progress());
    }

    /** As {@link #open}, with progress reported as {@code doing} (e.g. "decrypting") and the backup's id. */
    static StoredArchive open(
            Catalog catalog,
            Manifest manifest,
            AgeIdentity identity,
            CancelSignal cancel,
            Progress progress,
            String doing) {
        manifest.requireReadable();
        // an unknown compression is refused before anything is read
        Compression compression =
                Compression.appliedByLifeboat(manifest.compression(), manifest.ofDirectory(), manifest.id());
        return new StoredArchive(
                manifest, catalog.openData(manifest.backupId()), cancel, progress, doing, identity, compression);
    }

    /**
     * As {@link #open}, over {@code file}, a local store's plain archive already pinned by the caller
     * (so that what is hashed here is what pg_restore then reads), rather than the store's key.
     */
    static StoredArchive openPinned(
            java.nio.file.Path file, Manifest manifest, CancelSignal cancel, Progress progress, String doing)
            throws IOException {
        manifest.requireReadable();
        Compression compression =
                Compression.appliedByLifeboat(manifest.compression(), manifest.ofDirectory(), manifest.id());
        return new StoredArchive(
                manifest, java.nio.file.Files.newInputStream(file), cancel, progress, doing, null, compression);
    }

    /** Whether reading the stored bytes failed (as opposed to writing what was read somewhere). */
    public boolean readFailed() {
        return source.failed();
    }

    /**
     * The archive's bytes, decrypted when the backup is encrypted (the age header is read and checked
     * on the first call, so a wrong key fails here, before anything is written), then decompressed
     * when Lifeboat compressed them: the reverse of the backup pipe. Damaged compressed data makes
     * {@code read} throw INTEGRITY_FAILED.
     */
    public InputStream plain() throws IOException {
        if (plain == null) {
            // the store's reads and the SHA-256 on a second core, beside decryption and decompression
            ahead = ReadAhead.start(hashed, "lifeboat-read-" + manifest.id());
            InputStream decrypted = identity == null
                    ? ahead
                    : Encryption.decrypting(
                            ahead, identity, manifest.encryption().recipients());
            plain = compression.decompressing(decrypted);
        }
        return plain;
    }

    /**
     * Reads the stored bytes to their end and checks their size and SHA-256 against the manifest;
     * INTEGRITY_FAILED (with {@code untouched} appended) when they differ. Safe to call again.
     */
    public void requireIntact(String untouched) {
        if (sha == null) {
            try {
                // through the read-ahead when there is one: its thread is the one reading the hashed stream,
                // and its end says the digest is complete
                (ahead != null ? ahead : hashed).transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw unreadable(e, untouched);
            }
            sha = hashed.sha256();
        }
        requireMatches(manifest, hashed.count(), sha, untouched);
    }

    /**
     * INTEGRITY_FAILED (with {@code untouched} appended) unless {@code count} bytes with SHA-256
     * {@code sha} are what {@code manifest} recorded: the one comparison for this pass and for a
     * local file hashed in the background.
     */
    static void requireMatches(Manifest manifest, long count, String sha, String untouched) {
        if (count != manifest.sizeBytes() || !sha.equals(manifest.sha256())) {
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    "integrity check failed for backup " + manifest.id() + ": expected " + manifest.sizeBytes()
                            + " bytes with SHA-256 " + manifest.sha256() + ", found " + count
                            + " bytes with SHA-256 " + sha + "; " + untouched,
                    "the stored copy is damaged; restore another backup or a copy from another store");
        }
    }

    /**
     * What to throw when reading the archive failed with {@code e}: a checksum mismatch if the stored
     * bytes are damaged (the clearer statement of what happened), else {@code e} itself.
     */
    public LifeboatException explain(LifeboatException e, String untouched) {
        if (e.code() != ErrorCode.INTEGRITY_FAILED) {
            return e;
        }
        try {
            requireIntact(untouched);
        } catch (LifeboatException damaged) {
            return damaged.code() == ErrorCode.INTEGRITY_FAILED
                    ? new LifeboatException(damaged.code(), damaged.getMessage(), damaged.hint(), e)
                    : damaged;
        }
        return e;
    }

    /** An I/O failure while reading: CANCELLED if the caller stopped us, else STORE_UNAVAILABLE. */
    public LifeboatException unreadable(IOException e, String untouched) {
        // the read-ahead's consumer is interrupted by the cancel, not stopped by Cancellable: either way
        // the caller's cancel is the reason, not the store
        if (e instanceof InterruptedIOException && (CANCELLED.equals(e.getMessage()) || source.cancel.isCancelled())) {
            return new LifeboatException(ErrorCode.CANCELLED, "the operation was cancelled; " + untouched, null, e);
        }
        return new LifeboatException(
                ErrorCode.STORE_UNAVAILABLE,
                "cannot read backup " + manifest.id() + ": " + e.getMessage() + "; " + untouched,
                null,
                e);
    }

    @Override
    public void close() {
        try {
            if (plain != null) {
                plain.close(); // frees a decompressor's native context; stops the read-ahead; closes the stored stream
            }
            if (ahead != null) {
                ahead.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // read-only: nothing to lose
        } finally {
            try {
                stored.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
    }

    private static final String CANCELLED = "cancelled by the caller";

    /** Ends a read with an InterruptedIOException once the caller has cancelled. */
    private static final class Cancellable extends WatchedInputStream {
        private final CancelSignal cancel;

        Cancellable(InputStream in, CancelSignal cancel) {
            super(in);
            this.cancel = cancel;
        }

        @Override
        protected void beforeRead() throws InterruptedIOException {
            if (cancel.isCancelled()) {
                throw new InterruptedIOException(CANCELLED);
            }
        }
    }
}
