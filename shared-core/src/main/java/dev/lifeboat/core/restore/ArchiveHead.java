package dev.lifeboat.core.restore;

import dev.lifeboat.core.archive.SpoolFiles;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.DumpEngine;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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

    /** A new spool file for the head of {@code m}'s archive; null when none can be made (the restore then runs in one job). */
    static Path create(LifeboatContext ctx, Manifest m) {
        try {
            return SpoolFiles.create(ctx.config().stateDir(), m.backupId(), ".head");
        } catch (IOException e) {
            LOG.warn("no spool file for the head of {} ({}): the restore runs in one job", m.id(), e.getMessage());
            return null;
        }
    }

    /**
     * Copies the head of the archive read from {@code archive} into {@code file}, as far as {@code
     * engine} says it goes; false when it cannot tell (the file then holds some prefix: remove it).
     */
    static boolean fill(DumpEngine engine, InputStream archive, Path file) {
        try {
            return engine.copyArchiveHead(archive, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reported as the head's read failing
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
