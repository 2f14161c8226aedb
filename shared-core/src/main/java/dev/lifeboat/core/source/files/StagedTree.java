package dev.lifeboat.core.source.files;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A tree extracted into a staging directory beside its target: swapped into the target's place in
 * renames only, or deleted without following links. What makes a restore leave the target either as
 * it was or wholly replaced.
 */
public final class StagedTree {
    private static final SecureRandom RANDOM = new SecureRandom();

    private StagedTree() {}

    /**
     * Puts {@code staging} in {@code dest}'s place: a rename when {@code dest} does not exist; else
     * {@code dest} is renamed aside, the staging directory renamed in, and the old tree deleted. If
     * the second rename fails the old tree is put back, so the target is never half replaced.
     */
    static void swapIn(Path staging, Path dest, boolean exists) throws IOException {
        if (!exists) {
            Files.move(staging, dest, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path aside = dest.resolveSibling(
                "." + dest.getFileName() + ".lifeboat-old-" + HexFormat.of().formatHex(randomBytes()));
        Files.move(dest, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(staging, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.move(aside, dest, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        delete(aside);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return b;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(order[i]);
            }
        }
        return perms;
    }

    static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Deletes a tree without following links, making directories writable first. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(dir, permissions(0700));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException | NoSuchFileException ignored) {
                    // best effort: a concurrent writer; the rest is still gone
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
