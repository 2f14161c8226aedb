package dev.lifeboat.core.catalog;

import dev.lifeboat.core.engine.CustomArchive;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Computes the SHA-256 and byte count of whatever is read through it, and remembers the first bytes
 * (the archive magic), so a backup is hashed on its way into the store with no second pass.
 */
public final class HashingInputStream extends FilterInputStream {
    private static final int HEAD = 8;

    private final MessageDigest digest;
    private final LongConsumer onProgress;
    private final byte[] head = new byte[HEAD];
    private long count;
    private long lastReported;

    public HashingInputStream(InputStream in, LongConsumer onProgress) {
        super(in);
        this.onProgress = onProgress == null ? n -> {} : onProgress;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b != -1) {
            update(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("skipping would leave bytes out of the checksum");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void update(byte[] b, int off, int n) {
        digest.update(b, off, n);
        if (count < HEAD) {
            System.arraycopy(b, off, head, (int) count, (int) Math.min(n, HEAD - count));
        }
        count += n;
        // report about every 4 MiB, cheap enough for any consumer
        if (count - lastReported >= (4 << 20)) {
            lastReported = count;
            onProgress.accept(count);
        }
    }

    public long count() {
        return count;
    }

    /** The hex SHA-256 of everything read; call once, at the end. */
    public String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The first bytes read (up to 8; fewer if the stream was shorter). */
    public byte[] head() {
        return java.util.Arrays.copyOf(head, (int) Math.min(count, HEAD));
    }

    /** Whether the stream started with a pg_dump custom-format header. */
    public boolean hasCustomArchiveMagic() {
        return CustomArchive.hasMagic(head());
    }

    /** Reads {@code in} to its end through a hashing stream and returns it, for verification. */
    public static HashingInputStream drain(InputStream in, LongConsumer onProgress) throws IOException {
        HashingInputStream h = new HashingInputStream(in, onProgress);
        byte[] buf = new byte[1 << 16];
        while (h.read(buf, 0, buf.length) != -1) {
            // only the digest matters
        }
        return h;
    }
}
