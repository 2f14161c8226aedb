package dev.lifeboat.core.store.local;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import dev.lifeboat.core.store.StoreCapabilities;
import dev.lifeboat.core.store.StoreKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A store in a local directory (or a mounted file system). Objects are files under the root named by
 * their key. A write goes to a hidden temporary file in the target directory, is fsynced, and is then
 * renamed into place (or hard-linked, for create-only writes, which fails if the name is taken), so
 * a reader never sees a partial object. Directories are 0700 and files 0600: backups hold data.
 */
public final class LocalBackupStore implements BackupStore {
    static final String TEMP_PREFIX = ".lifeboat-tmp-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BUFFER = 1 << 16;

    private final Path root;

    public LocalBackupStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(true, true, true);
    }

    @Override
    public String describe() {
        return "file://" + root;
    }

    @Override
    public ObjectInfo put(String key, InputStream data, boolean createOnly) {
        Path target = resolve(key);
        Path dir = target.getParent();
        Path temp = null;
        try {
            createDirectories(dir);
            temp = dir.resolve(TEMP_PREFIX + HexFormat.of().formatHex(randomBytes()));
            long size = 0;
            try (FileChannel ch = FileChannel.open(
                    temp,
                    java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                OutputStream out = Channels.newOutputStream(ch);
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = data.read(buf)) != -1) {
                    out.write(buf, 0, n);
                    size += n;
                }
                out.flush();
                Timeline.mark("store: " + key + " written, fsync");
                ch.force(true);
                Timeline.mark("store: " + key + " fsync done");
            }
            if (createOnly) {
                try {
                    Files.createLink(target, temp);
                } catch (FileAlreadyExistsException e) {
                    throw new LifeboatException(
                            ErrorCode.ALREADY_EXISTS,
                            "object '" + key + "' already exists in " + describe(),
                            "another writer committed it first; nothing was overwritten");
                } catch (UnsupportedOperationException e) {
                    // no hard links on this file system: fall back to check-then-rename
                    if (Files.exists(target)) {
                        throw new LifeboatException(
                                ErrorCode.ALREADY_EXISTS, "object '" + key + "' already exists in " + describe(), null);
                    }
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                }
                Files.deleteIfExists(temp);
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            fsyncDirectory(dir);
            return new ObjectInfo(key, size, Files.getLastModifiedTime(target).toInstant());
        } catch (IOException e) {
            throw unavailable("write", key, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the temporary name is never listed; a later write does not depend on it
                }
            }
            if (!Files.exists(target)) {
                // a write that failed or was cancelled (its source stopped mid-stream) leaves no folder
                // behind either: an empty <database>/<id>/ looks like a backup that went wrong
                pruneEmptyDirectories(dir);
            }
        }
    }

    @Override
    public InputStream get(String key) {
        Path file = resolve(key);
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw unavailable("read", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Path file = resolve(key);
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(
                    new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unavailable("stat", key, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return walk(prefix, null);
    }

    /** One walk from the root sees the temporary files too: {@code backup list} counts them without a second. */
    @Override
    public Listed listWithUnfinished(String prefix) {
        if (!StoreKeys.requireValidPrefix(prefix).isEmpty()) {
            return new Listed(list(prefix), null);
        }
        List<ObjectInfo> unfinished = new ArrayList<>();
        List<ObjectInfo> objects = walk(prefix, unfinished);
        unfinished.sort(Comparator.comparing(ObjectInfo::key));
        return new Listed(objects, unfinished);
    }

    /** {@link #list}; with {@code unfinished} not null, collects there what {@link #unfinishedWrites} would. */
    private List<ObjectInfo> walk(String prefix, List<ObjectInfo> unfinished) {
        String p = StoreKeys.requireValidPrefix(prefix);
        // walk only the deepest directory the prefix names
        int slash = p.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(p.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<ObjectInfo> out = new ArrayList<>();
        // one walk that hands each file's attributes to the visitor: one stat per entry, no second lookup
        String base =
                root.equals(start) ? "" : root.relativize(start).toString().replace('\\', '/') + "/";
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                private final java.util.ArrayDeque<String> dirs = new java.util.ArrayDeque<>();

                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    dirs.push(dir.equals(start) ? base : dirs.peek() + dir.getFileName() + "/");
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    dirs.pop();
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = file.getFileName().toString();
                    if (unfinished != null && name.startsWith(TEMP_PREFIX)) {
                        // as unfinishedWrites sees them: the entry itself, a link is not followed
                        if (attrs.isRegularFile()) {
                            unfinished.add(new ObjectInfo(
                                    dirs.peek() + name,
                                    attrs.size(),
                                    attrs.lastModifiedTime().toInstant()));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                    // a symbolic link lists as what it points to, as get and stat see it
                    BasicFileAttributes a = attrs;
                    if (attrs.isSymbolicLink()) {
                        try {
                            a = Files.readAttributes(file, BasicFileAttributes.class);
                        } catch (NoSuchFileException e) {
                            return FileVisitResult.CONTINUE; // a dangling link holds no object
                        }
                    }
                    if (a.isRegularFile() && !name.startsWith(TEMP_PREFIX)) {
                        String key = dirs.peek() + name;
                        if (key.startsWith(p)) {
                            out.add(new ObjectInfo(
                                    key, a.size(), a.lastModifiedTime().toInstant()));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while we walked: not there
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw unavailable("list", p, e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    /**
     * The temporary files of writes that never finished ({@code <dir>/.lifeboat-tmp-<random>}, where a
     * killed backup left its partial dump), named by their path under the root. Their modification
     * time is their last write: a write in progress keeps it fresh.
     */
    @Override
    public List<ObjectInfo> unfinishedWrites() {
        List<ObjectInfo> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (a.isRegularFile() && file.getFileName().toString().startsWith(TEMP_PREFIX)) {
                        out.add(new ObjectInfo(
                                root.relativize(file).toString(),
                                a.size(),
                                a.lastModifiedTime().toInstant()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted while we walked, or unreadable: not ours to judge
                }
            });
        } catch (IOException e) {
            throw unavailable("list", "temporary files", e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void removeUnfinishedWrite(String name) {
        Path file = root.resolve(name).normalize();
        // only our own temporary files, and only under the root, whatever the name says
        if (!file.startsWith(root) || !file.getFileName().toString().startsWith(TEMP_PREFIX)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT, "'" + name + "' is not a temporary file of " + describe(), null);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw unavailable("delete", name, e);
        }
    }

    @Override
    public void delete(String key) {
        Path file = resolve(key);
        try {
            Files.deleteIfExists(file);
            // prune empty directories up to the root so deleted backups leave no litter
            pruneEmptyDirectories(file.getParent());
        } catch (IOException e) {
            throw unavailable("delete", key, e);
        }
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path file = resolve(key);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private Path resolve(String key) {
        StoreKeys.requireValid(key);
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new LifeboatException(ErrorCode.INVALID_ARGUMENT, "invalid object key '" + key + "'", null);
        }
        return p;
    }

    /** Removes {@code dir} and its parents below the root while they are empty; a failure is left alone. */
    private void pruneEmptyDirectories(Path dir) {
        while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
            try {
                Files.delete(dir);
            } catch (IOException e) { // not empty (another backup, a concurrent write), gone, or not ours
                break;
            }
            dir = dir.getParent();
        }
    }

    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename itself is still atomic
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private LifeboatException notFound(String key) {
        return new LifeboatException(ErrorCode.NOT_FOUND, "no object '" + key + "' in " + describe(), null);
    }

    private LifeboatException unavailable(String op, String key, IOException e) {
        return new LifeboatException(
                ErrorCode.STORE_UNAVAILABLE,
                "cannot " + op + " '" + key + "' in " + describe() + ": "
                        + e.getClass().getSimpleName() + " " + e.getMessage(),
                "check that the directory exists, has free space and is writable by this user",
                e);
    }
}
