package dev.lifeboat.core.verify;

import dev.lifeboat.core.archive.StoredArchive;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.StaleFiles;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.compress.GzipCompression;
import dev.lifeboat.core.compress.ZstdCompression;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.source.files.SafeExtractor;
import dev.lifeboat.core.source.files.StagedTree;
import dev.lifeboat.core.source.files.TarListing;
import dev.lifeboat.core.verify.VerificationReport.Check;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verification of a directory backup: the tar read through and counted against the manifest, and a
 * restore drill that extracts into a fresh scratch directory under state_dir (through the same safe
 * extractor and checksum check as a real restore), counts what landed, compares, removes it and keeps
 * the evidence beside the backup. Nothing here knows about PostgreSQL.
 */
public final class DirectoryDrill {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryDrill.class);

    private final LifeboatContext ctx;

    public DirectoryDrill(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /** Reads the archive through (decrypted) and compares what it holds with the manifest's counts. */
    public Check archiveCheck(BackupRecord rec, OperationContext context) {
        Manifest m = rec.manifest();
        Manifest.DirectoryContents d = m.directory();
        String expected = d == null
                ? "a well-formed tar archive"
                : describe(d.entries(), d.files(), d.directories(), d.symlinks());
        AgeIdentity identity = ctx.identityFor(rec);
        try (StoredArchive a = StoredArchive.open(ctx, rec, identity, context)) {
            TarListing l;
            try {
                l = TarListing.read(a.plain());
            } catch (IOException e) {
                throw a.unreadable(e, "nothing was changed");
            } catch (LifeboatException e) {
                LifeboatException x = a.explain(e, "nothing was changed");
                if (x.code() == ErrorCode.INTEGRITY_FAILED) {
                    return new Check("archive-tar", false, expected, "unreadable", x.getMessage());
                }
                throw x;
            }
            a.requireIntact("nothing was changed");
            String actual = describe(l.entries(), l.files(), l.directories(), l.symlinks());
            boolean ok = d == null
                    || (l.entries() == d.entries()
                            && l.files() == d.files()
                            && l.directories() == d.directories()
                            && l.symlinks() == d.symlinks()
                            && (d.changed() > 0 || l.fileBytes() == d.fileBytes()));
            return new Check(
                    "archive-tar",
                    ok,
                    expected,
                    actual,
                    ok ? null : "the archive does not hold what the manifest recorded");
        }
    }

    /**
     * The checksum-level format check of an unencrypted directory backup: a compressed tar starts
     * with its compressor's magic; a plain tar has none (empty: {@code archive} reads it through).
     */
    public static java.util.Optional<Check> formatCheck(Manifest m, byte[] head) {
        Compression c = Compression.appliedByLifeboat(m.compression(), true, m.id());
        if (c == Compression.NONE) {
            return java.util.Optional.empty();
        }
        boolean ok = c == Compression.ZSTD ? ZstdCompression.hasMagic(head) : GzipCompression.hasMagic(head);
        return java.util.Optional.of(new Check(
                "archive-format",
                ok,
                c.id() + " stream (compressed tar archive)",
                ok ? c.id() : "something else",
                null));
    }

    private static String describe(long entries, long files, long directories, long symlinks) {
        return entries + " entries (" + files + " files, " + directories + " directories, " + symlinks + " symlinks)";
    }

    /**
     * A restore drill for a directory: extract into a fresh scratch directory under the state
     * directory (through the same safe extractor and checksum check as a real restore), count what
     * landed there by walking it, compare with the manifest, remove the scratch directory, and keep
     * the evidence beside the backup. The "tables" of the record are the counted categories.
     */
    public DrillRecord drill(BackupRecord rec, OperationContext context) {
        Manifest m = rec.manifest();
        DrillEvidence evidence = new DrillEvidence(ctx, rec, context);
        Path scratch;
        try {
            StaleFiles drills = StaleFiles.drills(ctx.config().stateDir());
            Path parent = PrivateDirectories.ensure(drills.dir());
            // a killed drill's scratch directory (a copy of a backup's files) goes before this one is made
            drills.sweep();
            scratch = parent.resolve(drills.namePrefix() + m.id() + "-"
                    + Integer.toUnsignedString(ThreadLocalRandom.current().nextInt()));
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.INTERNAL,
                    "cannot create a scratch directory under " + ctx.config().stateDir() + ": " + e.getMessage(),
                    "check state_dir's permissions");
        }
        long[] found = null;
        AgeIdentity identity = ctx.identityFor(rec);
        context.progress().report(0, m.sizeBytes(), "extracting " + m.id() + " into scratch directory " + scratch);
        try (StoredArchive a = StoredArchive.open(ctx, rec, identity, context)) {
            try {
                SafeExtractor.extract(
                        a.plain(),
                        scratch,
                        SafeExtractor.Mode.INTO_EMPTY,
                        () -> a.requireIntact("nothing was extracted"));
                found = count(scratch);
            } catch (IOException e) {
                LifeboatException x = a.unreadable(e, "the drill stopped");
                if (x.code() == ErrorCode.CANCELLED) {
                    throw x;
                }
                evidence.failed(x.code() + ": " + x.getMessage());
            } catch (LifeboatException e) {
                LifeboatException x = a.explain(e, "the drill stopped");
                if (x.code() == ErrorCode.CANCELLED || context.cancel().isCancelled()) {
                    throw LifeboatException.cancelled(x);
                }
                evidence.failed(x.code() + ": " + x.getMessage());
            }
        } finally {
            Thread.interrupted();
        }
        boolean removed = remove(scratch);
        if (!removed) {
            evidence.failed("the scratch directory " + scratch + " could not be removed");
        }
        Manifest.DirectoryContents d = m.directory();
        if (found != null && d != null) {
            String[] names = {"files", "directories", "symlinks", "file bytes"};
            long[] expected = {d.files(), d.directories(), d.symlinks(), d.fileBytes()};
            for (int i = 0; i < names.length; i++) {
                boolean ok = expected[i] == found[i] || (i == 3 && d.changed() > 0);
                evidence.compared(
                        new DrillRecord.TableResult(names[i], expected[i], found[i], null, null, ok),
                        ok ? null : names[i] + ": expected " + expected[i] + " (manifest), restored " + found[i]);
            }
        }
        return evidence.keep(
                null,
                null,
                scratch.toString(),
                removed,
                "manifest (directory contents)",
                found != null,
                java.util.List.of());
    }

    /** Files, directories (the root included, as the archive counts it), symlinks and file bytes under {@code root}. */
    private static long[] count(Path root) throws IOException {
        long[] c = new long[4];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                c[1]++;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isSymbolicLink()) {
                    c[2]++;
                } else if (attrs.isRegularFile()) {
                    c[0]++;
                    c[3] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return c;
    }

    private static boolean remove(Path dir) {
        try {
            StagedTree.delete(dir);
            return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            LOG.warn("cannot remove scratch directory {}: {}", dir, e.getMessage());
            return false;
        }
    }
}
