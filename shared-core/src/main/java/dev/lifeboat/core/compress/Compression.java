package dev.lifeboat.core.compress;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a backup's archive is compressed, by name as it appears in the config, in arguments and in the
 * manifest's {@code compression} field.
 *
 * <p>For a database:
 *
 * <ul>
 *   <li>{@code gzip}: pg_dump's own compression inside the custom-format archive (its default); the
 *       stored bytes are a plain {@code pg_dump -Fc} archive.
 *   <li>{@code zstd}: pg_dump writes an uncompressed archive ({@code -Z0}) and Lifeboat compresses it
 *       in the JVM with multi-threaded zstd; the stored bytes are one zstd stream whose content is the
 *       custom-format archive ({@code zstd -d | pg_restore} reads it).
 *   <li>{@code none}: an uncompressed custom-format archive ({@code -Z0}).
 * </ul>
 *
 * <p>For a directory, Lifeboat compresses the tar stream itself with either method ({@code zstd -d |
 * tar -x} or {@code tar -xzf} reads it), and {@code none} stores the plain tar.
 */
public enum Compression {
    GZIP("gzip", 1, 9),
    ZSTD("zstd", 1, 19),
    NONE("none", 0, 0);

    private final String id;
    private final int minLevel;
    private final int maxLevel;

    Compression(String id, int minLevel, int maxLevel) {
        this.id = id;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    /** The name in config, arguments and manifests: "gzip", "zstd" or "none". */
    public String id() {
        return id;
    }

    /** Whether Lifeboat (not pg_dump) compresses, so restore must decompress before pg_restore. */
    public boolean inPipe() {
        return this == ZSTD;
    }

    /**
     * The stored stream's content: {@code stored} decompressed with this method ({@code none}: {@code
     * stored} itself). Damaged data makes {@code read} throw INTEGRITY_FAILED; an {@code IOException}
     * comes only from {@code stored}. Closing the result closes {@code stored}.
     */
    public InputStream decompressing(InputStream stored) throws IOException {
        return switch (this) {
            case ZSTD -> ZstdCompression.decompressing(stored);
            case GZIP -> GzipCompression.decompressing(stored);
            case NONE -> stored;
        };
    }

    /**
     * What Lifeboat must undo to read the archive of a backup whose manifest says {@code
     * manifestCompression}: for a database only its own zstd (pg_restore reads gzip), for a directory's
     * tar any method. {@code NONE} when there is nothing to undo; a name this version does not know is
     * refused as in {@link #ofManifest}.
     */
    public static Compression appliedByLifeboat(String manifestCompression, boolean directory, String backupId) {
        if (directory) {
            return manifestCompression == null || manifestCompression.isBlank()
                    ? NONE
                    : ofManifest(manifestCompression, backupId);
        }
        Compression c = ofManifest(manifestCompression, backupId);
        return c.inPipe() ? c : NONE;
    }

    /** The levels a user may choose for this method (none has no levels). */
    public boolean acceptsLevel(int level) {
        return this != NONE && level >= minLevel && level <= maxLevel;
    }

    /** "1-9" or "1-19", for messages. */
    public String levelRange() {
        return this == NONE ? "none" : minLevel + "-" + maxLevel;
    }

    /** The method named {@code text} (case-insensitive), if there is one. */
    public static Optional<Compression> find(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.id.equals(t)).findFirst();
    }

    /**
     * The method named {@code text}; INVALID_ARGUMENT naming {@code what} (e.g. "--compression") and
     * the valid names otherwise.
     */
    public static Compression parse(String text, String what) {
        return find(text)
                .orElseThrow(() -> new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        what + ": unknown compression '" + text + "' (known: " + names() + ")",
                        "use one of " + names()));
    }

    /** "gzip, zstd, none". */
    public static String names() {
        return Arrays.stream(values()).map(Compression::id).collect(Collectors.joining(", "));
    }

    /**
     * How to read a backup whose manifest says {@code manifestCompression}: null (older manifests),
     * gzip and none need nothing from Lifeboat (pg_restore reads them); zstd must be decompressed. A
     * name this version does not know is refused before anything is restored.
     */
    public static Compression ofManifest(String manifestCompression, String backupId) {
        if (manifestCompression == null || manifestCompression.isBlank()) {
            return GZIP;
        }
        return find(manifestCompression)
                .orElseThrow(
                        () -> new LifeboatException(
                                ErrorCode.INTEGRITY_FAILED,
                                "backup " + backupId + " is compressed with '" + manifestCompression
                                        + "', which this version of Lifeboat cannot read",
                                "restore it with a newer Lifeboat, or by hand (see docs/stores.md, recovery without Lifeboat)"));
    }
}
