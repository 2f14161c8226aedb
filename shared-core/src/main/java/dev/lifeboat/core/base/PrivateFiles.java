package dev.lifeboat.core.base;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Lifeboat's own small files under {@code state_dir} (keys, plans, remembered states): owner-only,
 * and written whole or not at all, so a reader never sees half of one.
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    /**
     * Writes {@code content} to {@code file} (0600) through a temporary file beside it, which is then
     * renamed over {@code file} or, with {@code createOnly}, linked to its name: of writers racing to
     * create it, exactly one succeeds and the others get {@link java.nio.file.FileAlreadyExistsException}.
     * The directory must exist.
     */
    public static void write(Path file, byte[] content, boolean createOnly) throws IOException {
        // named with this process's pid, as StaleFiles.privateTemps expects: what a killed writer left
        // is found and removed by lifeboat gc
        Path tmp = Files.createTempFile(
                file.getParent(),
                StaleFiles.privateTemps(file.getParent()).namePrefix() + file.getFileName() + "-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, content);
            if (createOnly) {
                Files.createLink(file, tmp);
            } else {
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
