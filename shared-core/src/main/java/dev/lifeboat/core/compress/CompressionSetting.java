package dev.lifeboat.core.compress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A compression method with its level, as configured for a store or a database.
 *
 * @param method the method
 * @param level the level, or -1 for the method's default (pg_dump's for gzip, {@link
 *     ZstdCompression#DEFAULT_LEVEL} for zstd)
 */
public record CompressionSetting(Compression method, int level) {
    /** pg_dump's own default: gzip inside the archive, at its default level. */
    public static final CompressionSetting DEFAULT = new CompressionSetting(Compression.GZIP, -1);

    /**
     * A directory's default: zstd. A tar has no compression of its own, so Lifeboat compresses it, and
     * multi-threaded zstd costs least for the most saved (gzip in the JVM is single-threaded).
     */
    public static final CompressionSetting DIRECTORY_DEFAULT = new CompressionSetting(Compression.ZSTD, -1);

    public CompressionSetting {
        if (method == null) {
            throw new IllegalArgumentException("method");
        }
        if (level != -1 && !method.acceptsLevel(level)) {
            throw new IllegalArgumentException("level " + level + " for " + method.id());
        }
    }

    /**
     * The setting for one backup: the requested method if any, else the database's setting, else the
     * store's, else {@link #DEFAULT}. A requested method keeps the configured level only when the
     * configuration names the same method (a gzip level means nothing to zstd).
     *
     * @param requested a method name from a request ({@code --compression}), or null; must be valid
     * @param database the database's configured setting, or null
     * @param store the store's configured setting, or null
     */
    public static CompressionSetting choose(String requested, CompressionSetting database, CompressionSetting store) {
        return choose(requested, database, store, DEFAULT);
    }

    /**
     * As {@link #choose(String, CompressionSetting, CompressionSetting)} with {@code fallback} when
     * nothing is configured ({@link #DIRECTORY_DEFAULT} for a directory).
     *
     * @param source the database's or directory's own setting, or null
     */
    public static CompressionSetting choose(
            String requested, CompressionSetting source, CompressionSetting store, CompressionSetting fallback) {
        CompressionSetting configured = source != null ? source : store != null ? store : fallback;
        if (requested == null || requested.isBlank()) {
            return configured;
        }
        Compression method = Compression.parse(requested, "compression");
        return method == configured.method ? configured : new CompressionSetting(method, -1);
    }

    /** The {@code -Z} level to give pg_dump: its own for gzip, 0 when Lifeboat compresses or nothing does. */
    public int pgDumpLevel() {
        return method == Compression.GZIP ? level : 0;
    }

    /**
     * The stored form of {@code archive} (pg_dump's output): zstd-compressed as it is read for {@link
     * Compression#ZSTD}, else the archive itself. Close the result in every outcome (it frees zstd's
     * native context and workers); closing does not close {@code archive}.
     */
    public Encoded encode(InputStream archive) {
        return method == Compression.ZSTD
                ? new Encoded(ZstdCompression.compressing(
                        new UnclosedInput(archive), level == -1 ? ZstdCompression.DEFAULT_LEVEL : level))
                : new Encoded(archive) {
                    @Override
                    public void close() {
                        // pg_dump's stream belongs to the dump
                    }
                };
    }

    /**
     * {@code plain} compressed with this method as it is read, whatever the method ({@code none}: the
     * stream itself): for a directory's tar, which has no compression of its own. Close the result in
     * every outcome; closing does not close {@code plain}.
     */
    public Encoded compress(InputStream plain) {
        return switch (method) {
            case ZSTD ->
                new Encoded(ZstdCompression.compressing(
                        new UnclosedInput(plain), level == -1 ? ZstdCompression.DEFAULT_LEVEL : level));
            case GZIP -> new Encoded(GzipCompression.compressing(new UnclosedInput(plain), level));
            case NONE ->
                new Encoded(plain) {
                    @Override
                    public void close() {
                        // the caller owns the plain stream
                    }
                };
        };
    }

    /** An encoded archive stream; closing it never throws, so it sits in a try-with-resources. */
    public static class Encoded implements AutoCloseable {
        private final InputStream stream;

        Encoded(InputStream stream) {
            this.stream = stream;
        }

        public InputStream stream() {
            return stream;
        }

        @Override
        public void close() {
            try {
                stream.close();
            } catch (IOException e) {
                // an abandoned compressor failing to flush changes nothing: the backup already failed or
                // the stream was finished (and its native context freed) at its end
            }
        }
    }

    /** Keeps the compressor's close from reaching pg_dump's stream, which the dump owns. */
    private static final class UnclosedInput extends FilterInputStream {
        UnclosedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() {}
    }

    /** "zstd", "zstd level 9", for messages. */
    public String describe() {
        return level == -1 ? method.id() : method.id() + " level " + level;
    }
}
