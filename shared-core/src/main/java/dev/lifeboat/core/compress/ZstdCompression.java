package dev.lifeboat.core.compress;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.lifeboat.core.pipe.EncodingStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * zstd in Lifeboat's pull-style pipe, through zstd-jni (the reference C library). Compression runs on
 * zstd's own worker threads (one per core), so a dump is compressed in parallel while the caller's
 * thread keeps reading pg_dump, hashing and uploading; memory is zstd's job buffers (a few MiB per
 * worker at the default level) plus one produced piece.
 *
 * <p>The output is a standard zstd frame with a content checksum, so {@code zstd -d} reads it and
 * damage is detected even before the archive's SHA-256 is compared. Decompressing streams report
 * damaged or truncated data as INTEGRITY_FAILED {@link LifeboatException}s thrown from {@code read};
 * an {@code IOException} always comes from the underlying stream.
 */
public final class ZstdCompression {
    /** zstd's own default: about as fast as reading a disk, and better than gzip -6. */
    public static final int DEFAULT_LEVEL = 3;

    private static final byte[] MAGIC = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD};

    private ZstdCompression() {}

    /**
     * The input each zstd worker takes at a time. zstd's default at level 3 is 8 MiB, and it keeps
     * several jobs' input and output buffers in native memory: a scale-100 backup peaked at 175 MiB
     * RSS with it, 120 MiB with 1 MiB jobs, at the same speed and output size (measured, 2 workers).
     */
    static final int JOB_SIZE = 1024 * 1024;

    /**
     * The zstd stream of {@code plain} at {@code level}, produced as it is read, with one worker per
     * available core. Closing it closes {@code plain} and frees the native context.
     */
    public static InputStream compressing(InputStream plain, int level) {
        return compressing(plain, level, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #compressing(InputStream, int)} with {@code workers} threads (0: in the caller's thread). */
    public static InputStream compressing(InputStream plain, int level, int workers) {
        if (!Compression.ZSTD.acceptsLevel(level)) {
            throw new IllegalArgumentException("zstd level " + level);
        }
        Objects.requireNonNull(plain, "plain");
        return new EncodingStream(plain, sink -> {
            ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(sink, level);
            zstd.setChecksum(true);
            if (workers > 0) {
                zstd.setWorkers(workers);
                zstd.setJobSize(JOB_SIZE);
            }
            return zstd;
        });
    }

    /**
     * The content of the zstd stream {@code compressed}; reading it throws an {@code IOException} only
     * when reading {@code compressed} itself fails. Closing it closes {@code compressed}.
     */
    public static InputStream decompressing(InputStream compressed) {
        return new DecodingStream(compressed, "zstd", ZstdInputStreamNoFinalizer::new);
    }

    /** Whether {@code head} (the first stored bytes) starts like a zstd frame. */
    public static boolean hasMagic(byte[] head) {
        return head.length >= MAGIC.length && java.util.Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }
}
