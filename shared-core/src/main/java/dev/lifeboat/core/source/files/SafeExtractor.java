package dev.lifeboat.core.source.files;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a tar stream into a directory and refuses, with INTEGRITY_FAILED naming the entry, anything
 * that would put a byte outside it: absolute names, {@code ..} segments, symbolic links that point (or
 * through other links resolve) outside, hard links to anything outside or through a link, entries written
 * through a link planted earlier in the same archive, and devices or FIFOs.
 *
 * <p>How it stays safe: everything is written into a fresh staging directory next to the target (same
 * parent, so the final step is a rename on one file system). Entries are created with {@code
 * CREATE_NEW} and no-follow options after checking that no component of their path is a symbolic link,
 * so a planted link is never written through. When the archive ends, every symbolic link in the staging
 * tree is resolved for real (following chains) and must land inside it; only then are directory modes
 * and times applied and the staging directory renamed into place. A refused or broken archive deletes
 * the staging directory and leaves the target exactly as it was. In {@link Mode#REPLACE}, the old target
 * is renamed aside, the new one renamed in, and the old one deleted; if the second rename fails the old
 * one is put back.
 *
 * <p>Permission bits are restored without setuid and setgid; owners are not restored; times are.
 */
public final class SafeExtractor {
    /** What to do when the target already exists. */
    public enum Mode {
        /** The target must not exist or must be an empty directory. */
        INTO_EMPTY,
        /** An existing target's contents are replaced (destructive: the caller has confirmed it). */
        REPLACE
    }

    /** What was extracted. */
    public record Result(Path target, long files, long directories, long symlinks, long hardlinks, long fileBytes) {}

    private final Path staging;
    private final Map<Path, TarArchiveEntry> directoryAttributes = new LinkedHashMap<>();
    private long files;
    private long directories;
    private long symlinks;
    private long hardlinks;
    private long fileBytes;

    private SafeExtractor(Path staging) {
        this.staging = staging;
    }

    /**
     * Extracts {@code tar} into {@code target}. Reads the stream to its very end (so a hashing stream
     * underneath sees every byte) and does not close it.
     *
     * @throws LifeboatException INTEGRITY_FAILED for a refused or malformed archive, ALREADY_EXISTS when
     *     the target is not empty in {@link Mode#INTO_EMPTY}, INVALID_ARGUMENT for an unusable target
     */
    public static Result extract(InputStream tar, Path target, Mode mode) throws IOException {
        return extract(tar, target, mode, () -> {});
    }

    /**
     * Like {@link #extract(InputStream, Path, Mode)}, and runs {@code beforePlacing} once the whole
     * archive has been unpacked and checked but before the target is touched: a caller that hashes
     * the stream checks the checksum there, so the target only ever receives verified bytes. If it
     * throws, the staging directory is removed and the target stays as it was.
     */
    public static Result extract(InputStream tar, Path target, Mode mode, Runnable beforePlacing) throws IOException {
        Objects.requireNonNull(tar, "tar");
        Objects.requireNonNull(beforePlacing, "beforePlacing");
        Objects.requireNonNull(mode, "mode");
        Path dest = target.toAbsolutePath().normalize();
        Path parent = dest.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "cannot restore into " + dest + ": its parent directory does not exist",
                    "create " + parent + " first");
        }
        boolean exists = Files.exists(dest, LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "cannot restore into " + dest + ": it exists and is not a directory"
                            + (Files.isSymbolicLink(dest) ? " (it is a symbolic link)" : ""),
                    "name a directory (a symbolic link is not followed: name the directory it points to)");
        }
        if (exists && mode == Mode.INTO_EMPTY && !StagedTree.isEmpty(dest)) {
            throw new LifeboatException(
                    ErrorCode.ALREADY_EXISTS,
                    "the restore target " + dest + " is not empty",
                    "replacing its contents is destructive: confirm the restore with replace, or choose an empty "
                            + "directory");
        }
        Path staging = Files.createTempDirectory(parent, "." + dest.getFileName() + ".lifeboat-restore-");
        boolean placed = false;
        try {
            SafeExtractor x = new SafeExtractor(staging);
            x.unpack(tar);
            x.verifySymlinks();
            x.applyDirectoryAttributes();
            beforePlacing.run();
            StagedTree.swapIn(staging, dest, exists);
            placed = true;
            return new Result(dest, x.files, x.directories, x.symlinks, x.hardlinks, x.fileBytes);
        } finally {
            if (!placed) {
                StagedTree.delete(staging);
            }
        }
    }

    private void unpack(InputStream in) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(new NonClosing(in), StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        while ((e = nextEntry(tar)) != null) {
            String name = e.getName();
            if (!e.isCheckSumOK()) {
                // commons-compress reads on past a bad header checksum; a backup must not
                throw new LifeboatException(
                        ErrorCode.INTEGRITY_FAILED,
                        "the archive is damaged: the header of entry '" + name + "' fails its checksum",
                        "verify the backup's checksum and restore from another copy");
            }
            Path path = resolve(name);
            if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                throw refused(name, "is a device or FIFO; only files, directories and links are restored");
            }
            if (e.isDirectory()) {
                makeDirectory(name, path);
                directoryAttributes.put(path, e);
            } else if (e.isSymbolicLink()) {
                makeSymlink(name, path, e.getLinkName());
            } else if (e.isLink()) {
                makeHardlink(name, path, e.getLinkName());
            } else if (e.isFile()) {
                writeFile(name, path, e, tar);
            } else {
                throw refused(name, "has an entry type this restore does not handle");
            }
        }
        // the end-of-archive padding too, so a hashing stream underneath sees every byte
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    "the archive is not a readable tar stream: " + e.getMessage(),
                    "verify the backup's checksum",
                    e);
        }
    }

    /** The staging path of an entry name, refusing absolute names and any {@code ..}. */
    private Path resolve(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw refused(String.valueOf(name), "has an empty or invalid name");
        }
        if (name.startsWith("/")) {
            throw refused(name, "has an absolute path");
        }
        Path p = staging;
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw refused(name, "contains '..'");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                p = p.resolve(segment);
            }
        }
        if (!p.normalize().startsWith(staging)) {
            throw refused(name, "resolves outside the target");
        }
        return p;
    }

    /** Refuses when a directory on the way to {@code path} is a symbolic link (or not a directory). */
    private void requireRealParents(String name, Path path) {
        Path rel = staging.relativize(path);
        Path p = staging;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            p = p.resolve(rel.getName(i));
            if (Files.isSymbolicLink(p)) {
                throw refused(
                        name,
                        "would be written through the symbolic link " + staging.relativize(p)
                                + " planted earlier in the archive");
            }
        }
    }

    private void makeDirectory(String name, Path path) throws IOException {
        if (path.equals(staging)) {
            return;
        }
        requireRealParents(name, path);
        if (Files.isSymbolicLink(path)) {
            throw refused(name, "would replace the symbolic link planted earlier in the archive");
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(name, "is a directory where the archive already put a file");
        }
        Files.createDirectories(path);
        directories++;
    }

    private void ensureParent(String name, Path path) throws IOException {
        requireRealParents(name, path);
        Path parent = path.getParent();
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(name, "lies below a file");
            }
            // tar streams may omit directory entries: create them
            Files.createDirectories(parent);
        }
        if (path.equals(staging)) {
            throw refused(name, "names the target directory itself");
        }
        if (Files.isSymbolicLink(path)) {
            throw refused(name, "would be written through the symbolic link planted earlier in the archive");
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(name, "would replace a directory");
        }
        // a later entry with the same name replaces an earlier file, as in tar
        Files.deleteIfExists(path);
    }

    private void writeFile(String name, Path path, TarArchiveEntry e, InputStream tar) throws IOException {
        ensureParent(name, path);
        try (OutputStream out = Files.newOutputStream(
                path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            fileBytes += tar.transferTo(out);
        }
        Files.setPosixFilePermissions(path, StagedTree.permissions(e.getMode()));
        Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(e.getLastModifiedTime().toInstant()), null, null);
        files++;
    }

    private void makeSymlink(String name, Path path, String linkName) throws IOException {
        if (linkName == null || linkName.isEmpty() || linkName.indexOf('\0') >= 0) {
            throw refused(name, "is a symbolic link with an empty target");
        }
        Path link = Path.of(linkName);
        if (link.isAbsolute()) {
            throw refused(name, "is a symbolic link to the absolute path " + linkName);
        }
        if (!path.getParent().resolve(link).normalize().startsWith(staging)) {
            throw refused(name, "is a symbolic link pointing outside the target (" + linkName + ")");
        }
        ensureParent(name, path);
        Files.createSymbolicLink(path, link);
        symlinks++;
    }

    private void makeHardlink(String name, Path path, String linkName) throws IOException {
        if (linkName == null || linkName.isEmpty()) {
            throw refused(name, "is a hard link with an empty target");
        }
        Path existing;
        try {
            existing = resolve(linkName);
        } catch (LifeboatException e) {
            throw refused(name, "is a hard link to " + linkName + ", outside the target");
        }
        requireRealParents(name, existing);
        if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(name, "is a hard link to " + linkName + ", which is not a file extracted earlier");
        }
        ensureParent(name, path);
        Files.createLink(path, existing);
        hardlinks++;
    }

    /**
     * Every link in the finished tree, resolved for real (chains included), must stay inside: a link
     * that looks inside by its text can still lead out through another link and {@code ..}.
     */
    private void verifySymlinks() throws IOException {
        Path realRoot = staging.toRealPath();
        List<Path> links = new ArrayList<>();
        Files.walkFileTree(staging, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isSymbolicLink()) {
                    links.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path link : links) {
            Path resolved = resolveForReal(link.getParent().resolve(Files.readSymbolicLink(link)), 0);
            if (resolved == null || !resolved.startsWith(realRoot)) {
                String name = staging.relativize(link).toString();
                throw refused(name, "is a symbolic link that resolves outside the target");
            }
        }
    }

    /** Like realpath, but tolerating a missing tail; null when links loop. */
    private static Path resolveForReal(Path p, int depth) throws IOException {
        if (depth > 40) {
            return null;
        }
        Path abs = p.toAbsolutePath();
        Path current = abs.getRoot();
        for (int i = 0; i < abs.getNameCount(); i++) {
            String seg = abs.getName(i).toString();
            if (seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            Path next = current.resolve(seg);
            if (Files.isSymbolicLink(next)) {
                Path target = current.resolve(Files.readSymbolicLink(next));
                next = resolveForReal(target, depth + 1);
                if (next == null) {
                    return null;
                }
            }
            current = next;
        }
        return current;
    }

    private void applyDirectoryAttributes() throws IOException {
        List<Map.Entry<Path, TarArchiveEntry>> dirs = new ArrayList<>(directoryAttributes.entrySet());
        // deepest first, so a read-only directory is closed only after its contents are in place
        dirs.sort(Comparator.comparingInt(
                        (Map.Entry<Path, TarArchiveEntry> d) -> d.getKey().getNameCount())
                .reversed());
        for (Map.Entry<Path, TarArchiveEntry> d : dirs) {
            Path dir = d.getKey();
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.getFileAttributeView(dir, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(d.getValue().getLastModifiedTime().toInstant()), null, null);
            Files.setPosixFilePermissions(
                    dir, StagedTree.permissions(d.getValue().getMode()));
        }
        if (!directoryAttributes.containsKey(staging)) {
            // the staging directory is created 0700; an archive without "./" gets the usual 0755
            Files.setPosixFilePermissions(staging, StagedTree.permissions(0755));
        }
    }

    private static LifeboatException refused(String entry, String why) {
        return new LifeboatException(
                ErrorCode.INTEGRITY_FAILED,
                "refusing to restore: archive entry '" + entry + "' " + why,
                "nothing was written to the target; the archive may have been tampered with");
    }

    /** Keeps commons-compress from closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}
