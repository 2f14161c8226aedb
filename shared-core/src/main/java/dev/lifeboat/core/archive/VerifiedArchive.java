package dev.lifeboat.core.archive;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.ExitCleanup;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.StaleFiles;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.HashingInputStream;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.compress.ZstdCompression;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.engine.CustomArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stored database archive for pg_restore: checks its size, SHA-256 and format against the
 * manifest on the one pass that also decrypts and decompresses it (into a 0600 spool file under
 * state_dir, removed afterwards) or, for a plain file in a local store, in place, possibly hashed in
 * the background while the target is inspected. The action reads exactly the bytes that were verified.
 */
public final class VerifiedArchive {
    private static final Logger LOG = LoggerFactory.getLogger(VerifiedArchive.class);

    private final LifeboatContext ctx;
    private final LifeboatConfig config;

    public VerifiedArchive(LifeboatContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
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
        try {
            return BackgroundHash.start(
                    local.get(), n -> context.progress().report(n, m.sizeBytes(), "verifying " + m.id()));
        } catch (IOException e) {
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
            java.util.function.Function<Path, T> action) {
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
            java.util.function.Function<Path, T> action) {
        return read(rec, context, untouched, started, true, action);
    }

    private <T> T read(
            BackupRecord rec,
            OperationContext context,
            String untouched,
            BackgroundHash started,
            boolean alongside,
            java.util.function.Function<Path, T> action) {
        Manifest m = rec.manifest();
        BackupId id = m.backupId();
        Catalog catalog = ctx.catalog(rec.store());
        Optional<Path> local = catalog.localData(id);
        // an encrypted backup needs its key before anything is read: a missing key is not damage
        AgeIdentity identity = ctx.identityFor(rec);
        boolean compressed = Compression.ofManifest(m.compression(), m.id()).inPipe();
        Path spool = null;
        try (CancelSignal.Registration reg = context.cancel().onCancel(Thread.currentThread()::interrupt)) {
            Path archive;
            HashingInputStream h;
            // the archive's first bytes, taken on the one pass that hashes (or decodes) it: no reopening
            byte[] head;
            if (identity != null || compressed) {
                // hash the stored bytes and decrypt/decompress them in one pass into a 0600 spool file
                spool = spoolFile(id);
                archive = spool;
                try (InputStream stored =
                        local.isPresent() ? Files.newInputStream(local.get()) : catalog.openData(id)) {
                    h = new HashingInputStream(
                            stored,
                            n -> context.progress()
                                    .report(
                                            n,
                                            m.sizeBytes(),
                                            (identity != null ? "decrypting " : "decompressing ") + id));
                    head = decodeInto(h, identity, m, spool, untouched);
                }
            } else if (local.isPresent()) {
                archive = local.get();
                if (started != null && alongside) {
                    return actAlongside(started, archive, m, id, context, untouched, action);
                }
                if (started != null) {
                    h = started.await(); // the same file, hashed while the target was inspected
                } else {
                    try (InputStream in = Files.newInputStream(archive)) {
                        h = HashingInputStream.drain(
                                in, n -> context.progress().report(n, m.sizeBytes(), "verifying " + id));
                    }
                }
                head = h.head();
            } else {
                spool = spoolFile(id);
                archive = spool;
                try (InputStream in = catalog.openData(id);
                        OutputStream out = spoolOutput(spool)) {
                    h = new HashingInputStream(
                            in, n -> context.progress().report(n, m.sizeBytes(), "downloading " + id));
                    h.transferTo(out);
                }
                head = h.head();
            }
            context.cancel().throwIfCancelled();
            check(h, head, m, id, untouched);
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
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                    ExitCleanup.forget(spool);
                } catch (IOException e) {
                    LOG.warn("cannot remove spool file {}: {}", spool, e.getMessage());
                }
            }
        }
    }

    /** INTEGRITY_FAILED unless the pass read the manifest's size and SHA-256 and a custom-format archive. */
    private static void check(HashingInputStream h, byte[] head, Manifest m, BackupId id, String untouched) {
        String sha = h.sha256();
        if (h.count() != m.sizeBytes() || !sha.equals(m.sha256())) {
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    "integrity check failed for backup " + id + ": expected " + m.sizeBytes()
                            + " bytes with SHA-256 " + m.sha256() + ", found " + h.count() + " bytes with SHA-256 "
                            + sha + "; " + untouched,
                    "the stored copy is damaged; restore another backup or a copy from another store");
        }
        if (!CustomArchive.hasMagic(head)) {
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    "backup " + id + " is not a pg_dump custom-format archive; " + untouched,
                    "Lifeboat only restores custom-format archives");
        }
    }

    /**
     * Runs {@code action} on the file while {@code started} hashes it, then checks the hash. The
     * check decides: damaged bytes are INTEGRITY_FAILED whether or not the action noticed them.
     */
    private static <T> T actAlongside(
            BackgroundHash started,
            Path archive,
            Manifest m,
            BackupId id,
            OperationContext context,
            String untouched,
            java.util.function.Function<Path, T> action)
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
                check(h, h.head(), m, id, untouched);
            } catch (LifeboatException damaged) {
                damaged.addSuppressed(failed);
                throw damaged;
            }
            throw failed;
        }
        HashingInputStream h = started.await();
        context.cancel().throwIfCancelled();
        check(h, h.head(), m, id, untouched);
        return out;
    }

    /**
     * The archive inside {@code stored}: decrypted when {@code identity} is given, then decompressed
     * when the manifest says Lifeboat compressed it (the reverse of the backup pipe). Closing it closes
     * {@code stored}.
     */
    public static InputStream decoded(InputStream stored, AgeIdentity identity, Manifest m) throws IOException {
        InputStream in = stored;
        try {
            if (identity != null) {
                in = Encryption.decrypting(in, identity, m.encryption().recipients());
            }
            if (Compression.ofManifest(m.compression(), m.id()).inPipe()) {
                in = ZstdCompression.decompressing(in);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Decrypts and/or decompresses what {@code stored} yields into {@code plain}, then reads {@code
     * stored} to its end so its checksum covers every stored byte. Damage found while decoding is
     * reported as a checksum mismatch when the checksum disagrees too, since that is the clearer
     * statement of what happened.
     */
    private static byte[] decodeInto(
            HashingInputStream stored, AgeIdentity identity, Manifest m, Path plain, String untouched)
            throws IOException {
        // the decoders close what they read; stored must stay open so the rest of it can be hashed
        InputStream unclosable = new java.io.FilterInputStream(stored) {
            @Override
            public void close() {}
        };
        try (InputStream in = decoded(unclosable, identity, m);
                OutputStream out = spoolOutput(plain)) {
            byte[] head = in.readNBytes(CustomArchive.MAGIC_LENGTH);
            out.write(head);
            // zstd's own block size: transferTo's 8 KiB would cost a JNI call per 8 KiB of output
            byte[] buf = new byte[128 * 1024];
            for (int n; (n = in.read(buf)) != -1; ) {
                out.write(buf, 0, n);
            }
            stored.transferTo(OutputStream.nullOutputStream());
            return head;
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.INTEGRITY_FAILED) {
                throw e;
            }
            stored.transferTo(OutputStream.nullOutputStream());
            String sha = stored.sha256();
            if (!sha.equals(m.sha256())) {
                throw new LifeboatException(
                        ErrorCode.INTEGRITY_FAILED,
                        "integrity check failed for backup " + m.id() + ": expected SHA-256 " + m.sha256() + ", found "
                                + sha + "; " + untouched,
                        "the stored copy is damaged; restore another backup or a copy from another store",
                        e);
            }
            throw e;
        }
    }

    private Path spoolFile(BackupId id) throws IOException {
        StaleFiles spools = StaleFiles.spool(config.stateDir());
        Path dir = spools.dir();
        try {
            // a decrypted spool must never land where a link planted at 'spool' points
            PrivateDirectories.ensure(dir);
            // what a killed restore left (perhaps a decrypted dump) goes before this one is written
            spools.sweep();
            Path spool = Files.createTempFile(
                    dir,
                    spools.namePrefix() + id.value() + "-",
                    ".dump",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // a decrypted dump must not outlive this process on any exit the JVM sees
            ExitCleanup.register(spool);
            return spool;
        } catch (IOException e) {
            throw new SpoolUnwritable(dir, e);
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
