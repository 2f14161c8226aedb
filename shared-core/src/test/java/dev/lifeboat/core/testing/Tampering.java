package dev.lifeboat.core.testing;

import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.store.BackupStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What tests do to a backup behind Lifeboat's back: damage its data, forge its manifest. */
public final class Tampering {
    private Tampering() {}

    /** XORs the byte in the middle of {@code file} with {@code mask} (same length, other content). */
    public static void flipMiddleByte(Path file, int mask) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                long at = f.length() / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ mask);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** XORs the byte in the middle of the object {@code key} of {@code store} with {@code mask}, put back in place. */
    public static void flipMiddleByte(BackupStore store, String key, int mask) {
        byte[] bytes;
        try (InputStream in = store.get(key)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes[bytes.length / 2] ^= (byte) mask;
        store.put(key, new ByteArrayInputStream(bytes), false);
    }

    /**
     * Rewrites the manifest beside {@code data} (written for {@code m}) so its SHA-256 and size match the
     * data as it is now, as a forger who changed both would: only checks beyond the checksum can object.
     */
    public static void reseal(Manifest m, Path data) {
        try {
            Path manifest = data.resolveSibling("manifest.json");
            Files.writeString(
                    manifest,
                    Files.readString(manifest)
                            .replace(m.sha256(), sha256(Files.readAllBytes(data)))
                            .replace("\"size_bytes\" : " + m.sizeBytes(), "\"size_bytes\" : " + Files.size(data)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} as the data of {@code m} and {@link #reseal reseals} the manifest to them. */
    public static void replace(Manifest m, Path data, byte[] bytes) {
        try {
            Files.write(data, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reseal(m, data);
    }

    /** The SHA-256 of {@code bytes} in lower-case hex, as manifests hold it. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
