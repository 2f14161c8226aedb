package dev.lifeboat.core.restore;

import dev.lifeboat.core.archive.SpoolFiles;
import dev.lifeboat.core.archive.StoredArchive;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.context.LifeboatContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of a stored archive's head (what a restore of the part after the data reads: the engine
 * says where it ends) in a spool file, for a restore whose data streams into one job while several
 * jobs build what follows it ({@link DataStreaming}). It is first copied from an unverified read of
 * the archive's start, for the decisions taken before the restore; the stream then writes its own
 * first bytes over it ({@link #rewriting}), so what the later jobs read is what the checksum covered.
 */
final class ArchiveHead {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveHead.class);

    private ArchiveHead() {}

    /**
     * The head of {@code r}'s archive copied into a new spool file; null when the engine cannot tell
     * where the head ends, or no spool file can be made (the restore then runs in one job).
     */
    static Path copy(LifeboatContext ctx, RestoreTarget.Resolved r) {
        Manifest m = r.record().manifest();
        Path file;
        try {
            file = SpoolFiles.create(ctx.config().stateDir(), m.backupId(), ".head");
        } catch (IOException e) {
            LOG.warn("no spool file for the head of {} ({}): the restore runs in one job", m.id(), e.getMessage());
            return null;
        }
        OperationContext quiet = OperationContext.of("restore", "head");
        boolean copied = false;
        try (StoredArchive archive = StoredArchive.open(
                        ctx.catalog(r.record().store()),
                        m,
                        ctx.identityFor(r.record()),
                        quiet.cancel(),
                        quiet.progress());
                InputStream plain = archive.plain()) {
            copied = r.engine().copyArchiveHead(plain, file);
            return copied ? file : null;
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read the head of backup " + m.id() + " into " + file + ": " + e.getMessage()
                            + "; the target database was not touched",
                    null,
                    e);
        } finally {
            if (!copied) {
                SpoolFiles.remove(file);
            }
        }
    }

    /** Removes the copy. */
    static void remove(Path head) {
        SpoolFiles.remove(head);
    }

    /**
     * {@code archive} as it is read, its first bytes written over {@code head} (as many as the copy
     * holds) on the way. Closing it closes the copy, not {@code archive}.
     */
    static InputStream rewriting(InputStream archive, Path head) {
        long length;
        OutputStream out;
        try {
            length = Files.size(head);
            out = Files.newOutputStream(head);
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.INTERNAL, "cannot rewrite the head copy " + head + ": " + e.getMessage(), null, e);
        }
        return new FilterInputStream(archive) {
            private long left = length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (left > 0) {
                    if (n > 0) {
                        int k = (int) Math.min(n, left);
                        out.write(b, off, k);
                        left -= k;
                    }
                    if (left == 0 || n == -1) {
                        left = 0;
                        out.close();
                    }
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // read, not skipped: skipped bytes would never reach the copy
                byte[] buf = new byte[(int) Math.min(n, 8192)];
                int k = read(buf, 0, buf.length);
                return Math.max(k, 0);
            }

            /** Closes the copy only: the archive stays its reader's to close. */
            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
