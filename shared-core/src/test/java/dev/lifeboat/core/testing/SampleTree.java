package dev.lifeboat.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Directory trees for directory-backup tests: a realistic uploads folder, and a comparable description. */
public final class SampleTree {
    private SampleTree() {}

    /**
     * Fills {@code root} with nested files, an empty directory, a 0600 file, a non-ASCII name, a relative
     * symlink inside the tree and {@code bigBytes} of random data in one file.
     */
    public static Path create(Path root, int bigBytes) throws IOException {
        Files.createDirectories(root.resolve("logos/2026"));
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("logos/acme.svg"), "<svg>acme</svg>");
        Files.writeString(root.resolve("logos/2026/q1.png"), "not really a png");
        Files.writeString(root.resolve("Überweisung ä.txt"), "non-ascii name", StandardCharsets.UTF_8);
        Path secret = Files.writeString(root.resolve("private.key"), "owner only");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(root.resolve("current-logo"), Path.of("logos/acme.svg"));
        byte[] big = new byte[bigBytes];
        new Random(42).nextBytes(big);
        Files.write(root.resolve("upload.bin"), big);
        return root;
    }

    /** Every entry below {@code root}: type, permissions, size and SHA-256 (files) or link target. */
    public static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                } else {
                    out.put(
                            rel,
                            "file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                                    + Files.size(p) + " " + sha256(p));
                }
            }
        }
        return out;
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
