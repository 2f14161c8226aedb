package dev.lifeboat.core.archive;

import dev.lifeboat.core.base.ExitCleanup;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.StaleFiles;
import dev.lifeboat.core.catalog.BackupId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files a restore decodes a stored archive into (the whole archive, or a copy of its head): 0600,
 * in the state directory's private spool folder, removed on any exit the JVM sees, and swept by the
 * next restore when a killed one left them. They may hold decrypted data, which is why all of that.
 */
public final class SpoolFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolFiles.class);

    private SpoolFiles() {}

    /** The spool folder under {@code stateDir}. */
    public static Path dir(Path stateDir) {
        return StaleFiles.spool(stateDir).dir();
    }

    /** A new, empty spool file for backup {@code id}, named with {@code suffix}. */
    public static Path create(Path stateDir, BackupId id, String suffix) throws IOException {
        StaleFiles spools = StaleFiles.spool(stateDir);
        // a decrypted spool must never land where a link planted at 'spool' points
        PrivateDirectories.ensure(spools.dir());
        // what a killed restore left (perhaps a decrypted dump) goes before this one is written
        spools.sweep();
        Path file = Files.createTempFile(
                spools.dir(),
                spools.namePrefix() + id.value() + "-",
                suffix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // a decrypted dump must not outlive this process on any exit the JVM sees
        ExitCleanup.register(file);
        return file;
    }

    /** Removes {@code file}; a failure is only logged (the next restore's sweep removes it). */
    public static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
            ExitCleanup.forget(file);
        } catch (IOException e) {
            LOG.warn("cannot remove spool file {}: {}", file, e.getMessage());
        }
    }
}
