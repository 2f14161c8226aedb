package dev.lifeboat.core.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The directories Lifeboat keeps its own files in under {@code state_dir} (spool, drills, plans,
 * caches, the audit log's directory): created owner-only, and refused when something planted a
 * symbolic link at their name, so a decrypted spool or a plan is never written where the link points.
 */
public final class PrivateDirectories {
    private PrivateDirectories() {}

    /** Creates {@code dir} (and its parents) owner-only if missing; refuses a link or a non-directory. */
    public static Path ensure(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; Lifeboat keeps its own files only in a real"
                    + " directory there (remove the link)");
        }
        Files.createDirectories(
                dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        return dir;
    }
}
