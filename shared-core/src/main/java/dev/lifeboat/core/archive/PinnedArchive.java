package dev.lifeboat.core.archive;

import dev.lifeboat.core.base.ExitCleanup;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.StaleFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local store's plain archive, held so that the file pg_restore reads is the file that was hashed:
 * whoever can write a store directory could otherwise swap the file (rename another over it) between
 * the hash and pg_restore's open, since both go by path.
 *
 * <p>The cheapest hold is a hard link in {@code state_dir/spool} (0700): the same inode, no copy, and
 * a rename in the store no longer reaches it. A link needs both on one file system; when it cannot be
 * made, the file is read in place if nobody but its owner (or root) can rename anything on its path,
 * and otherwise must be copied through the spool ({@link #pin} says so with null). A file that others
 * may write into is never pinned (a link shares its bytes): that too is copied. In-place writes by the
 * file's own owner are not stopped by any of this; that user is the one Lifeboat runs as.
 */
final class PinnedArchive implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PinnedArchive.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    private final boolean linked;

    private PinnedArchive(Path path, boolean linked) {
        this.path = path;
        this.linked = linked;
    }

    /** What to hash and hand to pg_restore. */
    Path path() {
        return path;
    }

    /** Whether it is a link in the spool (else the store's own file, safe in place). */
    boolean linked() {
        return linked;
    }

    /**
     * Pins {@code file} (a local store's archive of backup {@code id}) with a link under {@code
     * stateDir}'s spool, or in place; null when neither is safe and the bytes must be copied.
     */
    static PinnedArchive pin(Path file, Path stateDir, String id) throws IOException {
        if (!Ownership.privateFile(file)) {
            return null;
        }
        StaleFiles spools = StaleFiles.spool(stateDir);
        // named as a spool file, so that a link a killed run left goes with the next sweep
        Path link = spools.dir()
                .resolve(spools.namePrefix() + id + "-" + (RANDOM.nextLong() & Long.MAX_VALUE) + spools.suffix());
        try {
            PrivateDirectories.ensure(spools.dir());
            Files.createLink(link, file);
            ExitCleanup.register(link);
            return new PinnedArchive(link, true);
        } catch (FileAlreadyExistsException e) {
            throw e; // 63 random bits: not a collision to paper over
        } catch (IOException | UnsupportedOperationException e) {
            // another file system (EXDEV), links refused, a full or read-only state disk: in place
            // only if nobody else can swap it
            LOG.debug("cannot link {} into the spool ({}); checking who can rename it", file, e.getMessage());
            return Ownership.privatePath(file) ? new PinnedArchive(file, false) : null;
        }
    }

    @Override
    public void close() {
        if (!linked) {
            return;
        }
        try {
            Files.deleteIfExists(path);
            ExitCleanup.forget(path);
        } catch (IOException e) {
            LOG.warn("cannot remove spool link {}: {}", path, e.getMessage());
        }
    }

    /** Who can change a file or rename it away, from its mode and owner and those of its directories. */
    static final class Ownership {
        private static final int GROUP_OR_OTHER_WRITE = 0022;
        private static final int STICKY = 01000;

        private Ownership() {}

        /** Owned by this process's user or root, and writable by nobody else. */
        static boolean privateFile(Path file) throws IOException {
            return trusted(file) && (mode(file) & GROUP_OR_OTHER_WRITE) == 0;
        }

        /**
         * Nobody but this user or root can rename or replace {@code file}: every directory above it is
         * theirs and not writable by others, or sticky (then only an entry's owner may move it, and the
         * entry below is theirs).
         */
        static boolean privatePath(Path file) throws IOException {
            Path child = file.toRealPath();
            for (Path dir = child.getParent(); dir != null; child = dir, dir = dir.getParent()) {
                if (!trusted(dir)) {
                    return false;
                }
                int mode = mode(dir);
                if ((mode & GROUP_OR_OTHER_WRITE) != 0 && !((mode & STICKY) != 0 && trusted(child))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean trusted(Path p) throws IOException {
            int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return uid == 0 || uid == myUid();
        }

        private static int mode(Path p) throws IOException {
            return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        }

        private static int myUid() throws IOException {
            // the owner of what this process makes is its effective user
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        }
    }
}
