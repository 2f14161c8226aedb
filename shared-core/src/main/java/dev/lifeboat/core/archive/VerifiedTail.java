package dev.lifeboat.core.archive;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.CustomArchive;
import dev.lifeboat.core.pipe.BulkReadInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A stored archive's bytes, decrypted and decompressed, for a reader that must not be able to finish
 * before the stored bytes are known to be intact: the last chunk is held back until every stored byte
 * has been read and its size and SHA-256 match the manifest. pg_restore needs an archive's last bytes
 * (the end of its last data block, or of its table of contents) before it can run the statements that
 * follow them and commit, so a damaged archive stops it before it has committed anything. A
 * failure is thrown from {@code read} as Lifeboat's own error (INTEGRITY_FAILED, STORE_UNAVAILABLE or
 * CANCELLED), never as a short read.
 */
final class VerifiedTail extends BulkReadInputStream {
    /** zstd's own block size, and what is held back. */
    static final int CHUNK = 128 * 1024;

    private final StoredArchive archive;
    private final Manifest manifest;
    private final String untouched;
    private InputStream in;
    private byte[] out = new byte[0];
    private int pos;
    private byte[] held;
    private boolean ended;

    VerifiedTail(StoredArchive archive, Manifest manifest, String untouched) {
        this.archive = archive;
        this.manifest = manifest;
        this.untouched = untouched;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == out.length) {
            if (ended) {
                return -1;
            }
            advance();
        }
        int n = Math.min(len, out.length - pos);
        System.arraycopy(out, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Hands out the chunk held so far and holds the next; at the end, hands out the last once verified. */
    private void advance() {
        if (held == null) {
            held = next();
            // not an archive at all is said before a byte reaches the reader
            CustomArchive.requireMagic(
                    Arrays.copyOf(held, Math.min(held.length, CustomArchive.MAGIC_LENGTH)),
                    "backup " + manifest.id(),
                    untouched);
        }
        byte[] following = held.length == 0 ? held : next();
        if (following.length == 0) {
            archive.requireIntact(untouched); // reads what the decoders left: every stored byte is hashed
            ended = true;
        }
        out = held;
        pos = 0;
        held = following;
    }

    private byte[] next() {
        try {
            if (in == null) {
                in = archive.plain();
            }
            return in.readNBytes(CHUNK);
        } catch (IOException e) {
            throw archive.unreadable(e, untouched);
        } catch (LifeboatException e) {
            throw archive.explain(e, untouched);
        }
    }
}
