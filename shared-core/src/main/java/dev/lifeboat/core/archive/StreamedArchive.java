package dev.lifeboat.core.archive;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.context.LifeboatContext;
import java.io.InputStream;
import java.util.function.Function;

/**
 * A stored database archive streamed straight into its reader (pg_restore's stdin): read from the
 * store, hashed, decrypted and decompressed on the way, with no spool file, and with the verdict on
 * the stored bytes arriving before the reader can finish ({@link VerifiedTail}). For a restore that
 * runs one pg_restore job: several jobs need a file they can seek in, which {@link VerifiedArchive}
 * writes.
 */
public final class StreamedArchive {
    private final LifeboatContext ctx;

    public StreamedArchive(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Whether streaming saves a pass: the archive would otherwise be copied into a spool file
     * (encrypted, compressed by Lifeboat, or not a file of a local store). A local store's plain file
     * is read in place already, hashed alongside.
     */
    public boolean savesASpool(BackupRecord rec) {
        Manifest m = rec.manifest();
        boolean compressed = Compression.ofManifest(m.compression(), m.id()).inPipe();
        return m.encryption() != null
                || compressed
                || ctx.catalog(rec.store()).localData(m.backupId()).isEmpty();
    }

    /**
     * Reads what is left of an archive {@link #read} handed out, to its end: once this returned, the
     * stored bytes proved intact (it throws INTEGRITY_FAILED, STORE_UNAVAILABLE or CANCELLED as the
     * read does). For a reader that may stop before the end, as pg_restore restoring some sections.
     */
    public static void readToTheEnd(InputStream archive) {
        try {
            archive.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
            // the handed-out stream throws Lifeboat's own errors; an IOException here is not one of them
            throw new LifeboatException(
                    dev.lifeboat.core.base.ErrorCode.STORE_UNAVAILABLE,
                    "cannot read the rest of the archive: " + e.getMessage(),
                    null,
                    e);
        }
    }

    /**
     * Runs {@code action} on the archive's bytes as they are read. The action must read to the end (as
     * pg_restore does): the end is only given once the stored bytes proved intact, and a damaged archive
     * makes its read throw INTEGRITY_FAILED. When the action fails for another reason, the rest of the
     * stored bytes is checked anyway: damaged bytes are reported as such, with the action's failure
     * attached.
     *
     * @param untouched what the failure message adds about what was left alone
     */
    public <T> T read(BackupRecord rec, OperationContext context, String untouched, Function<InputStream, T> action) {
        Manifest m = rec.manifest();
        // an encrypted backup needs its key before anything is read: a missing key is not damage
        var identity = ctx.identityFor(rec);
        String doing = identity != null ? "decrypting" : "reading";
        try (StoredArchive a = StoredArchive.open(
                ctx.catalog(rec.store()), m, identity, context.cancel(), context.progress(), doing)) {
            try {
                return action.apply(new VerifiedTail(a, m, untouched));
            } catch (LifeboatException failed) {
                if (failed.code() == dev.lifeboat.core.base.ErrorCode.INTEGRITY_FAILED
                        || context.cancel().isCancelled()) {
                    throw failed;
                }
                try {
                    a.requireIntact(untouched);
                } catch (LifeboatException damaged) {
                    if (damaged.code() == dev.lifeboat.core.base.ErrorCode.INTEGRITY_FAILED) {
                        damaged.addSuppressed(failed);
                        throw damaged;
                    }
                    failed.addSuppressed(damaged);
                }
                throw failed;
            }
        }
    }
}
