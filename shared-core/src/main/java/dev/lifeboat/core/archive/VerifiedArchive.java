package dev.lifeboat.core.archive;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.HashingInputStream;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.engine.ArchiveOffsets;
import dev.lifeboat.core.engine.CustomArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a stored database archive for pg_restore: checks its size, SHA-256 and format against the
 * manifest on the one pass that also decrypts and decompresses it (into a 0600 spool file under
 * state_dir, removed afterwards) or, for a plain file in a local store, without a copy, possibly
 * hashed in the background while the target is inspected. The action reads exactly the bytes that
 * were verified: a local file is first pinned ({@link PinnedArchive}: a hard link in the spool, or the
 * file in place when nobody else can rename it, else a copy), so that a file swapped in the store
 * after the hash is not what pg_restore opens.
 */
public final class VerifiedArchive {

    private final LifeboatContext ctx;

    public VerifiedArchive(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The checksum pass of {@code rec}'s archive on a background thread when it is a plain file in a
     * local store (what the restore would hash in place); null otherwise (downloads, decryption and
     * decompression write a spool file and stay in line).
     */
    public BackgroundHash startHash(BackupRecord rec, OperationContext context) {
        Manifest m = rec.manifest();
        boolean plain = m.encryption() == null
                && Compression.find(m.compression() == null ? Compression.GZIP.id() : m.compression())
                        .map(c -> !c.inPipe())
                        .orElse(false);
        if (!plain) {
            return null;
        }
        Optional<Path> local = ctx.catalog(rec.store()).localData(m.backupId());
        if (local.isEmpty()) {
            return null;
        }
        PinnedArchive pinned;
        try {
            pinned = PinnedArchive.pin(local.get(), ctx.config().stateDir(), m.id());
        } catch (IOException e) {
            return null; // the in-line pass reports it, in its place
        }
        if (pinned == null) {
            return null; // others may change the file: it is copied through the spool, in line
        }
        try {
            return BackgroundHash.start(
                    pinned, n -> context.progress().report(n, m.sizeBytes(), "verifying " + m.id()));
        } catch (IOException e) {
            pinned.close();
            return null; // the in-line pass reports it, in its place
        }
    }

    /**
     * Runs {@code action} on a local file holding the backup's archive, after checking its size,
     * SHA-256 and format against the manifest. A local store's file is verified in place (no copy);
     * other stores are downloaded once into a 0600 spool file that is removed afterwards. The action
     * reads exactly the bytes that were verified.
     */
    public <T> T read(
            BackupRecord rec,
            OperationContext context,
            String untouched,
            BackgroundHash started,
            Function<Path, T> action) {
        return read(rec, context, untouched, started, false, action);
    }

    /**
     * As {@link #read}, but for an action whose effects are thrown away when the check fails (a
     * restore into a shadow database that is dropped): when the archive is a local store's plain file
     * being hashed in the background, the action runs on it at once, alongside the hash, and the
     * check follows it, so the restore does not wait for a separate pass. A mismatch is
     * INTEGRITY_FAILED even when the action failed first on the damaged bytes; the caller undoes
     * what the action did. In every other case the check comes first, as in {@link #read}.
     */
    public <T> T readAlongsideHash(
            BackupRecord rec,
            OperationContext context,
            String untouched,
            BackgroundHash started,
            Function<Path, T> action) {
        return read(rec, context, untouched, started, true, action);
    }

    private <T> T read(
            BackupRecord rec,
            OperationContext context,
            String untouched,
            BackgroundHash started,
            boolean alongside,
            Function<Path, T> action) {
        Manifest m = rec.manifest();
        BackupId id = m.backupId();
        Catalog catalog = ctx.catalog(rec.store());
        Optional<Path> local = catalog.localData(id);
        // an encrypted backup needs its key before anything is read: a missing key is not damage
        AgeIdentity identity = ctx.identityFor(rec);
        boolean compressed = Compression.ofManifest(m.compression(), m.id()).inPipe();
        Path spool = null;
        PinnedArchive pinned = null;
        try (CancelSignal.Registration reg = context.cancel().onCancel(Thread.currentThread()::interrupt)) {
            Path archive;
            boolean copy = identity != null || compressed || local.isEmpty();
            if (!copy && started == null) {
                // what is hashed must be what pg_restore opens: a link in the spool, or the file in place
                // when nobody else can swap it; otherwise a copy
                pinned = PinnedArchive.pin(local.get(), ctx.config().stateDir(), m.id());
                copy = pinned == null;
            }
            if (copy) {
                // hash the stored bytes and decrypt/decompress (or just download or copy) them in one pass
                // into a 0600 spool file
                spool = spoolFile(id);
                archive = spool;
                String doing = identity != null
                        ? "decrypting"
                        : compressed ? "decompressing" : local.isEmpty() ? "downloading" : "copying";
                try (StoredArchive a =
                        StoredArchive.open(catalog, m, identity, context.cancel(), context.progress(), doing)) {
                    pass(a, m, spool, context, untouched);
                }
                Timeline.mark("archive " + doing + " into the spool, hashed");
            } else if (started != null) {
                archive = started.file(); // pinned when the hash started
                if (alongside) {
                    return actAlongside(started, archive, m, context, untouched, action);
                }
                requireIntact(started.await(), m, untouched); // the same file, hashed while the target was inspected
                Timeline.mark("archive hashed (the early pass awaited)");
            } else {
                archive = pinned.path();
                try (StoredArchive a =
                        StoredArchive.openPinned(archive, m, context.cancel(), context.progress(), "verifying")) {
                    pass(a, m, null, context, untouched);
                }
            }
            context.cancel().throwIfCancelled();
            return action.apply(archive);
        } catch (SpoolUnwritable e) {
            context.cancel().throwIfCancelled();
            // a full state disk is not an unreadable backup: say which disk to free
            throw PrivateDirectories.unwritable(e.file, e.cause(), untouched);
        } catch (IOException e) {
            context.cancel().throwIfCancelled();
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read backup " + id + ": " + e.getMessage() + "; " + untouched,
                    null,
                    e);
        } finally {
            Thread.interrupted();
            if (pinned != null) {
                pinned.close();
            }
            if (spool != null) {
                SpoolFiles.remove(spool);
            }
        }
    }

    /**
     * The one pass over the stored bytes ({@link StoredArchive}: hashed, decrypted, decompressed,
     * cancellable), writing the archive into {@code spool} when one is given, then the checks: size,
     * SHA-256, and the custom-format header taken from the pass's first bytes (nothing is reopened).
     * A spool then gets the data offsets pg_dump could not write into a pipe ({@link ArchiveOffsets}).
     */
    private static void pass(StoredArchive a, Manifest m, Path spool, OperationContext context, String untouched)
            throws IOException {
        byte[] head;
        ArchiveOffsets offsets = null;
        try {
            InputStream in = a.plain();
            head = in.readNBytes(CustomArchive.MAGIC_LENGTH);
            if (spool != null) {
                try (OutputStream out = spoolOutput(spool)) {
                    offsets = ArchiveOffsets.copy(head, in, out);
                }
            }
        } catch (SpoolUnwritable e) {
            throw e;
        } catch (IOException e) {
            context.cancel().throwIfCancelled();
            throw a.unreadable(e, untouched);
        } catch (LifeboatException e) {
            throw a.explain(e, untouched);
        }
        a.requireIntact(untouched); // reads what the decoders left, so the checksum covers every stored byte
        CustomArchive.requireMagic(head, "backup " + m.id(), untouched);
        if (offsets != null && offsets.count() > 0) {
            // the spool as pg_dump would have written it to a file: pg_restore -j seeks to each table's data
            try {
                offsets.writeInto(spool);
            } catch (IOException e) {
                throw new SpoolUnwritable(spool, e);
            }
            Timeline.mark("data offsets written into the spool (" + offsets.count() + ")");
        }
    }

    /** INTEGRITY_FAILED unless the background pass read the manifest's size and SHA-256 and a custom-format archive. */
    private static void requireIntact(HashingInputStream h, Manifest m, String untouched) {
        StoredArchive.requireMatches(m, h.count(), h.sha256(), untouched);
        CustomArchive.requireMagic(h.head(), "backup " + m.id(), untouched);
    }

    /**
     * Runs {@code action} on the file while {@code started} hashes it, then checks the hash. The
     * check decides: damaged bytes are INTEGRITY_FAILED whether or not the action noticed them.
     */
    private static <T> T actAlongside(
            BackgroundHash started,
            Path archive,
            Manifest m,
            OperationContext context,
            String untouched,
            Function<Path, T> action)
            throws IOException {
        T out;
        try {
            out = action.apply(archive);
        } catch (LifeboatException failed) {
            if (context.cancel().isCancelled()) {
                throw failed; // no reason to wait for the rest of the hash
            }
            HashingInputStream h;
            try {
                h = started.await();
            } catch (IOException | RuntimeException unreadable) {
                failed.addSuppressed(unreadable);
                throw failed;
            }
            try {
                requireIntact(h, m, untouched);
            } catch (LifeboatException damaged) {
                damaged.addSuppressed(failed);
                throw damaged;
            }
            throw failed;
        }
        HashingInputStream h = started.await();
        context.cancel().throwIfCancelled();
        requireIntact(h, m, untouched);
        return out;
    }

    private Path spoolFile(BackupId id) throws IOException {
        try {
            return SpoolFiles.create(ctx.config().stateDir(), id, ".dump");
        } catch (IOException e) {
            throw new SpoolUnwritable(SpoolFiles.dir(ctx.config().stateDir()), e);
        }
    }

    /** The spool file for writing; a failure to write it is told apart from a failure to read the store. */
    private static OutputStream spoolOutput(Path spool) throws IOException {
        OutputStream out;
        try {
            out = Files.newOutputStream(spool);
        } catch (IOException e) {
            throw new SpoolUnwritable(spool, e);
        }
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw new SpoolUnwritable(spool, e);
                }
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void flush() throws IOException {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new SpoolUnwritable(spool, e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new SpoolUnwritable(spool, e);
                }
            }
        };
    }

    /** Writing the spool under state_dir failed (a full or read-only disk), as opposed to reading the store. */
    private static final class SpoolUnwritable extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path file;

        SpoolUnwritable(Path file, IOException cause) {
            super(cause.getMessage(), cause);
            this.file = file;
        }

        IOException cause() {
            return (IOException) getCause();
        }
    }
}
