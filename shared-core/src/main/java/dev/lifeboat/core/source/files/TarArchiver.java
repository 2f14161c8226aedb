package dev.lifeboat.core.source.files;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.pipe.ProducingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A directory as a POSIX (pax) tar stream, produced as it is read: no thread, no temporary file, and
 * memory bounded by one directory listing and a 64 KiB copy buffer, so it can feed the same hashing,
 * encryption and upload pipe as a database dump.
 *
 * <p>The archive starts with {@code ./} (the directory itself), then each entry depth first in name
 * order with names relative to the directory ({@code ./a/b.txt}). It keeps permission bits (including
 * setuid, setgid, sticky), modification times, owners (ids and names), symbolic links as links (never
 * followed) and empty directories; long and non-ASCII names and files over 8 GiB use pax headers.
 * Hard links are stored as separate files. Sockets, FIFOs and devices are skipped and listed in
 * {@link Summary#skipped()}; a file that vanishes before it is read is skipped too, and one that shrinks
 * while it is read is padded with zeros and listed in {@link Summary#changed()}, as GNU tar does.
 */
public final class TarArchiver extends ProducingInputStream {
    private static final int COPY = 64 * 1024;

    private final Path root;
    private final Excludes excludes;
    private final TarArchiveOutputStream tar;
    private final Deque<Iterator<Path>> pending = new ArrayDeque<>();
    private final byte[] copy = new byte[COPY];
    private final List<String> skipped = new ArrayList<>();
    private final List<String> changed = new ArrayList<>();
    private InputStream currentFile;
    private String currentName;
    private long currentLeft;
    private boolean started;
    private boolean finished;
    private long files;
    private long directories;
    private long symlinks;
    private long fileBytes;
    private long excluded;

    private TarArchiver(Path root, Excludes excludes) {
        this.root = root;
        this.excludes = excludes;
        this.tar = new TarArchiveOutputStream(sink(), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** A tar stream of {@code directory}; INVALID_ARGUMENT when it is not a readable directory. */
    public static TarArchiver of(Path directory) {
        return of(directory, Excludes.NONE);
    }

    /**
     * A tar stream of {@code directory} without the entries {@code excludes} leaves out (an excluded
     * directory is not read at all); INVALID_ARGUMENT when it is not a readable directory.
     */
    public static TarArchiver of(Path directory, Excludes excludes) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(excludes, "excludes");
        Path root = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "source directory " + root + (Files.exists(root) ? " is not a directory" : " does not exist"),
                    Files.isSymbolicLink(root)
                            ? "it is a symbolic link: name the directory it points to"
                            : "check the path in the source's configuration");
        }
        if (!Files.isReadable(root) || !Files.isExecutable(root)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "source directory " + root + " cannot be read by this user",
                    "run lifeboat as a user who can read it");
        }
        return new TarArchiver(root, excludes);
    }

    /**
     * What went into the archive; complete once the stream has returned -1.
     *
     * @param excluded entries the excludes left out (an excluded directory counts once)
     */
    public record Summary(
            long files,
            long directories,
            long symlinks,
            long fileBytes,
            List<String> skipped,
            List<String> changed,
            long excluded) {
        public Summary {
            skipped = List.copyOf(skipped);
            changed = List.copyOf(changed);
        }
    }

    public Summary summary() {
        return new Summary(files, directories, symlinks, fileBytes, skipped, changed, excluded);
    }

    @Override
    protected boolean produce() throws IOException {
        step();
        return !finished;
    }

    /** Does one bounded piece of work: a header, a piece of a file, or the end of the archive. */
    private void step() throws IOException {
        if (!started) {
            started = true;
            putDirectory(root, "./");
            pending.push(list(root));
            return;
        }
        if (currentFile != null) {
            copyPiece();
            return;
        }
        while (!pending.isEmpty() && !pending.peek().hasNext()) {
            pending.pop();
        }
        if (pending.isEmpty()) {
            tar.finish();
            tar.close();
            finished = true;
            return;
        }
        Path p = pending.peek().next();
        Path relative = root.relativize(p);
        String name = "./" + relative;
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            skipped.add(name + " (removed before it was read)");
            return;
        }
        if (excludes.excludes(relative, attrs.isDirectory())) {
            excluded++;
            return;
        }
        if (attrs.isSymbolicLink()) {
            TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0120000, p, attrs);
            e.setLinkName(Files.readSymbolicLink(p).toString());
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            symlinks++;
        } else if (attrs.isDirectory()) {
            putDirectory(p, name + "/");
            pending.push(list(p));
        } else if (attrs.isRegularFile()) {
            InputStream in;
            try {
                in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                skipped.add(name + " (removed before it was read)");
                return;
            }
            TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0100000, p, attrs);
            e.setSize(attrs.size());
            tar.putArchiveEntry(e);
            currentFile = in;
            currentName = name;
            currentLeft = attrs.size();
            files++;
            if (currentLeft == 0) {
                finishFile();
            }
        } else {
            skipped.add(name + " (not a file, directory or symbolic link)");
        }
    }

    private void copyPiece() throws IOException {
        int n = currentFile.read(copy, 0, (int) Math.min(copy.length, currentLeft));
        if (n == -1) {
            // the file shrank since its size went into the header: pad it, as GNU tar does
            changed.add(currentName + " (shrank by " + currentLeft + " bytes while archived; padded with zeros)");
            Arrays.fill(copy, (byte) 0);
            while (currentLeft > 0) {
                int z = (int) Math.min(copy.length, currentLeft);
                tar.write(copy, 0, z);
                currentLeft -= z;
            }
        } else {
            tar.write(copy, 0, n);
            currentLeft -= n;
            fileBytes += n;
        }
        if (currentLeft == 0) {
            finishFile();
        }
    }

    private void finishFile() throws IOException {
        currentFile.close();
        currentFile = null;
        tar.closeArchiveEntry();
    }

    private void putDirectory(Path dir, String name) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        tar.putArchiveEntry(entry(name, TarConstants.LF_DIR, 040000, dir, attrs));
        tar.closeArchiveEntry();
        directories++;
    }

    private static TarArchiveEntry entry(String name, byte type, int typeBits, Path p, PosixFileAttributes attrs)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setMode(typeBits | (mode(p) & 07777));
        e.setModTime(attrs.lastModifiedTime());
        Object uid = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object gid = Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        e.setUserId(((Number) uid).longValue());
        e.setGroupId(((Number) gid).longValue());
        e.setUserName(attrs.owner().getName());
        e.setGroupName(attrs.group().getName());
        return e;
    }

    private static int mode(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
    }

    /** One directory's entries in name order, read now so the directory handle is not held open. */
    private static Iterator<Path> list(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                children.add(p);
            }
        }
        children.sort(
                (a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return children.iterator();
    }

    @Override
    protected void release() throws IOException {
        if (currentFile != null) {
            currentFile.close();
        }
    }
}
