package dev.lifeboat.core.base;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paths as the file system sees them, for every check that a path is or is not inside another.
 *
 * <p>Comparing paths as text is defeated by one symbolic link: {@code /tmp/alias/shop}, where {@code
 * alias} links to a store's root, does not start with the store's path as text but writes into it.
 * {@link #resolve} follows every link along the part of the path that exists (the deepest existing
 * parent, resolved with {@link Path#toRealPath}) and appends the part that does not exist yet, which
 * can hold no link. Two resolved paths are then compared with {@link #overlap}.
 */
public final class RealPaths {
    private RealPaths() {}

    /**
     * The absolute path {@code path} names once every symbolic link in its existing part is followed.
     * A path that does not exist at all is returned absolute and normalized.
     */
    public static Path resolve(Path path) {
        Path existing = path.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                for (Path name : missing) {
                    // names below the deepest existing parent do not exist, so '..' among them is textual
                    real = real.resolve(name);
                }
                return real.normalize();
            } catch (IOException e) {
                // this component does not exist (or is a dangling link): resolve its parent instead
                if (existing.getFileName() != null) {
                    missing.addFirst(existing.getFileName());
                }
                existing = existing.getParent();
            }
        }
        return path.toAbsolutePath().normalize();
    }

    /**
     * The real path of {@code path}'s parent with {@code path}'s own last name appended: what a caller
     * that must not follow a link at the last name (it checks that name with {@code NOFOLLOW_LINKS})
     * works on.
     */
    public static Path resolveParent(Path path) {
        Path abs = path.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null || abs.getFileName() == null) {
            return resolve(abs);
        }
        return resolve(parent).resolve(abs.getFileName()).normalize();
    }

    /** Whether one of two resolved paths is the other or lies inside it. */
    public static boolean overlap(Path a, Path b) {
        return a.startsWith(b) || b.startsWith(a);
    }
}
