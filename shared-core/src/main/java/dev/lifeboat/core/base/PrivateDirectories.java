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

    /**
     * The failure to write {@code file}, one of Lifeboat's own files under {@code state_dir}, said as
     * what it is (STATE_UNAVAILABLE: a full or read-only disk), not as a bad configuration or an
     * unreadable backup.
     */
    public static LifeboatException unwritable(Path file, IOException e, String consequence) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String hint;
        if (why.contains("No space left")) {
            hint = "free space on the disk that holds the state directory, or point state_dir at a larger one";
        } else if (why.contains("Read-only file system")) {
            hint = "the state directory is on a read-only file system: point state_dir at a writable directory";
        } else {
            hint = "check that the state directory is writable (state_dir in the config)";
        }
        return new LifeboatException(
                ErrorCode.STATE_UNAVAILABLE,
                "cannot write " + file + " in Lifeboat's state directory: " + why
                        + (consequence == null ? "" : "; " + consequence),
                hint,
                e);
    }
}
