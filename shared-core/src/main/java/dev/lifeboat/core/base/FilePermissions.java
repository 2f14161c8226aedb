package dev.lifeboat.core.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Refuses files that hold or point to secrets when anyone but their owner can read them. */
public final class FilePermissions {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private FilePermissions() {}

    /** Throws CONFIG_INVALID naming {@code what} and the path when group or others have any access. */
    public static void requireOwnerOnly(Path file, String what) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing we can check
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    what + ": cannot read permissions of " + file + ": " + e.getMessage(),
                    null);
        }
        Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
        extra.addAll(perms);
        extra.retainAll(OTHERS);
        if (!extra.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    what + ": " + file + " is accessible by others (" + PosixFilePermissions.toString(perms) + ")",
                    "run: chmod 600 " + file);
        }
    }
}
