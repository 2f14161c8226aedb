package dev.lifeboat.core;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.PrivateDirectories;
import dev.lifeboat.core.base.RealPaths;
import dev.lifeboat.core.base.Version;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.compress.GzipCompression;
import dev.lifeboat.core.compress.ZstdCompression;
import dev.lifeboat.core.config.ApprovalMode;
import dev.lifeboat.core.config.DirectoryConfig;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.source.files.Excludes;
import dev.lifeboat.core.source.files.SafeExtractor;
import dev.lifeboat.core.source.files.TarArchiver;
import dev.lifeboat.core.source.files.TarListing;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.verify.VerificationReport.Check;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directories as a backup source: create (a pax tar stream through the same encryption, hashing and
 * commit as a dump), archive-level verification, restore drills into a scratch directory, and
 * restore into a target directory through {@link SafeExtractor}. {@link BackupService} dispatches
 * here on the source kind; nothing in this class knows about PostgreSQL.
 */
final class DirectoryBackups {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryBackups.class);

    private final LifeboatConfig config;
    private final Function<StoreConfig, BackupStore> stores;
    private final PasswordSources passwords;
    private final Confirmations confirmations;
    private final AuditLog audit;
    private final Clock clock;

    DirectoryBackups(
            LifeboatConfig config,
            Function<StoreConfig, BackupStore> stores,
            PasswordSources passwords,
            Confirmations confirmations,
            AuditLog audit,
            Clock clock) {
        this.config = config;
        this.stores = stores;
        this.passwords = passwords;
        this.confirmations = confirmations;
        this.audit = audit;
        this.clock = clock;
    }

    // ---- create ----

    /**
     * Archives a configured directory into a store; the label and tags are already checked.
     *
     * @param compression the requested method, or null for the directory's (else the store's, else zstd)
     */
    BackupRecord create(
            DirectoryConfig dir,
            String store,
            String label,
            Map<String, String> tags,
            String compression,
            Manifest.SetRun set,
            OperationContext context) {
        StoreConfig sc = config.storeFor(dir, store);
        CompressionSetting method = CompressionSetting.choose(
                compression, dir.compression(), sc.compression(), CompressionSetting.DIRECTORY_DEFAULT);
        Instant started = clock.instant();
        BackupId id = BackupId.generate(dir.name(), started);
        AuditLog.Entry base = new AuditLog.Entry(
                started,
                context.transport(),
                context.subject(),
                "create",
                id.value(),
                dir.name(),
                sc.name(),
                null,
                null,
                null,
                null,
                null);
        try {
            context.cancel().throwIfCancelled();
            Catalog catalog = new Catalog(stores.apply(sc));
            TarArchiver tar = openSource(dir);
            Source source = new Source(tar, dir, context.cancel());
            context.progress().report(0, -1, "archiving " + dir.path());
            boolean stored = false;
            // tar -> [gzip|zstd] -> [age] -> SHA-256 -> store; the compressor is closed in every outcome
            try (tar;
                    CompressionSetting.Encoded compressed = method.compress(source)) {
                Encryption encryption = BackupService.encryptionFor(sc);
                DataUpload.Stored up;
                try {
                    up = DataUpload.put(
                            catalog,
                            id,
                            compressed.stream(),
                            encryption,
                            context.cancel(),
                            n -> context.progress().report(n, -1, "archiving " + dir.name()),
                            "tar archive");
                } catch (LifeboatException e) {
                    throw source.failure != null ? source.failure : e;
                }
                stored = true;
                TarArchiver.Summary s = tar.summary();
                s.skipped().forEach(p -> LOG.warn("directory {}: skipped {}", dir.name(), p));
                s.changed().forEach(p -> LOG.warn("directory {}: {}", dir.name(), p));
                Instant finished = clock.instant();
                Manifest manifest = new Manifest(
                        Manifest.formatFor(
                                Manifest.KIND_DIRECTORY, method.method().id()),
                        id.value(),
                        dir.name(),
                        Manifest.KIND_DIRECTORY,
                        null,
                        "lifeboat " + Version.get() + " tar (POSIX pax)",
                        "tar",
                        method.method().id(),
                        up.info().size(),
                        up.sha256(),
                        started,
                        finished,
                        Duration.between(started, finished).toMillis(),
                        label,
                        tags,
                        Version.get(),
                        null,
                        List.of(),
                        encryption == null
                                ? null
                                : new Manifest.Encryption(
                                        "age", encryption.recipients().keys()),
                        new Manifest.DirectoryContents(
                                dir.path().toString(),
                                s.files() + s.directories() + s.symlinks(),
                                s.files(),
                                s.directories(),
                                s.symlinks(),
                                s.fileBytes(),
                                s.skipped().size(),
                                s.changed().size(),
                                dir.excludes(),
                                s.excluded()),
                        set);
                context.cancel().throwIfCancelled();
                catalog.commit(manifest);
                context.progress().report(up.info().size(), up.info().size(), "backup " + id + " committed");
                audit.write(BackupService.outcome(base, "ok", null, up.info().size(), null));
                return new BackupRecord(sc.name(), manifest);
            } catch (IOException e) {
                throw new LifeboatException(
                        ErrorCode.INTERNAL, "cannot close the archive of " + dir.path() + ": " + e.getMessage(), null);
            } catch (RuntimeException e) {
                if (stored) {
                    discardQuietly(catalog, id);
                }
                throw e;
            }
        } catch (LifeboatException e) {
            LifeboatException out = context.cancel().isCancelled() ? BackupService.cancelled(e) : e;
            audit.write(BackupService.outcome(base, "error", out, null, out.getMessage()));
            throw out;
        }
    }

    private static TarArchiver openSource(DirectoryConfig dir) {
        try {
            return TarArchiver.of(dir.path(), Excludes.of(dir.excludes()));
        } catch (LifeboatException e) {
            throw new LifeboatException(
                    e.code(),
                    "directories." + dir.name() + ".path: " + e.getMessage(),
                    e.hint() == null ? "fix the path in the configuration" : e.hint(),
                    e);
        }
    }

    /**
     * The tar stream as the store reads it: a read error of the source directory is kept so the
     * backup fails with a message about the directory, not about the store that stopped receiving,
     * and a cancel ends the read.
     */
    private static final class Source extends FilterInputStream {
        private final DirectoryConfig dir;
        private final CancelSignal cancel;
        LifeboatException failure;

        Source(InputStream in, DirectoryConfig dir, CancelSignal cancel) {
            super(in);
            this.dir = dir;
            this.cancel = cancel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (cancel.isCancelled()) {
                failure = new LifeboatException(
                        ErrorCode.CANCELLED, "the operation was cancelled; nothing was committed", null);
                throw new InterruptedIOException("cancelled");
            }
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                failure = new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "cannot read directory '" + dir.name() + "' (" + dir.path() + "): " + e.getMessage()
                                + "; nothing was committed",
                        "make sure lifeboat can read every file and subdirectory under " + dir.path(),
                        e);
                throw e;
            }
        }
    }

    // ---- verify ----

    /** Reads the archive through (decrypted) and compares what it holds with the manifest's counts. */
    Check archiveCheck(BackupRecord rec, OperationContext context) {
        Manifest m = rec.manifest();
        Manifest.DirectoryContents d = m.directory();
        String expected = d == null
                ? "a well-formed tar archive"
                : describe(d.entries(), d.files(), d.directories(), d.symlinks());
        AgeIdentity identity = identityFor(rec);
        try (StoredArchive a = open(rec, identity, context)) {
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
    static java.util.Optional<Check> formatCheck(Manifest m, byte[] head) {
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
    DrillRecord drill(BackupRecord rec, OperationContext context) {
        Manifest m = rec.manifest();
        Instant started = clock.instant();
        Path scratch;
        try {
            Path parent = PrivateDirectories.ensure(config.stateDir().resolve("drills"));
            scratch = parent.resolve(m.id() + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.INTERNAL,
                    "cannot create a scratch directory under " + config.stateDir() + ": " + e.getMessage(),
                    "check state_dir's permissions");
        }
        String error = null;
        long[] found = null;
        AgeIdentity identity = identityFor(rec);
        context.progress().report(0, m.sizeBytes(), "extracting " + m.id() + " into scratch directory " + scratch);
        try (StoredArchive a = open(rec, identity, context)) {
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
                error = x.code() + ": " + x.getMessage();
            } catch (LifeboatException e) {
                LifeboatException x = a.explain(e, "the drill stopped");
                if (x.code() == ErrorCode.CANCELLED || context.cancel().isCancelled()) {
                    throw BackupService.cancelled(x);
                }
                error = x.code() + ": " + x.getMessage();
            }
        } finally {
            Thread.interrupted();
        }
        boolean removed = remove(scratch);
        if (!removed) {
            error = (error == null ? "" : error + "; ") + "the scratch directory " + scratch + " could not be removed";
        }
        List<DrillRecord.TableResult> rows = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        Manifest.DirectoryContents d = m.directory();
        if (found != null && d != null) {
            String[] names = {"files", "directories", "symlinks", "file bytes"};
            long[] expected = {d.files(), d.directories(), d.symlinks(), d.fileBytes()};
            for (int i = 0; i < names.length; i++) {
                boolean ok = expected[i] == found[i] || (i == 3 && d.changed() > 0);
                if (!ok) {
                    mismatches.add(names[i] + ": expected " + expected[i] + " (manifest), restored " + found[i]);
                }
                rows.add(new DrillRecord.TableResult(names[i], expected[i], found[i], null, null, ok));
            }
        }
        boolean pass = error == null && mismatches.isEmpty() && found != null;
        Instant finished = clock.instant();
        DrillRecord record = new DrillRecord(
                1,
                m.id(),
                m.database(),
                rec.store(),
                m.sha256(),
                m.sizeBytes(),
                m.createdAt(),
                started,
                finished,
                Duration.between(started, finished).toMillis(),
                context.subject(),
                context.transport(),
                Version.get(),
                null,
                null,
                scratch.toString(),
                removed,
                "manifest (directory contents)",
                rows,
                mismatches,
                pass ? "PASS" : "FAIL",
                error);
        new Catalog(stores.apply(config.store(rec.store()))).putDrill(m.backupId(), record);
        return record;
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
            SafeExtractor.deleteTree(dir);
            return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            LOG.warn("cannot remove scratch directory {}: {}", dir, e.getMessage());
            return false;
        }
    }

    // ---- restore ----

    /** The facts a directory restore acts on, worked out from the request and the file system. */
    private record Target(BackupRecord record, Path dir, boolean exists, long entries) {
        boolean destructive() {
            return entries > 0;
        }

        PlanBinding binding() {
            Manifest m = record.manifest();
            return new PlanBinding("restore", m.id(), m.sha256(), "dir:" + dir, "replace");
        }
    }

    /** Works out what restoring {@code rec} into the request's directory would do. */
    DirectoryRestorePlan plan(BackupRecord rec, DirectoryRestoreRequest request) {
        Target t = resolve(rec, request);
        Confirmation c = t.destructive()
                ? confirmations.issue(t.binding(), config.tokenTtl(), config.approval() == ApprovalMode.OPERATOR)
                : null;
        return plan(t, c);
    }

    private static DirectoryRestorePlan plan(Target t, Confirmation c) {
        Manifest m = t.record().manifest();
        Manifest.DirectoryContents d = m.directory();
        long files = d == null ? 0 : d.files();
        long bytes = d == null ? 0 : d.fileBytes();
        StringBuilder s = new StringBuilder();
        s.append("Restore directory backup ")
                .append(m.id())
                .append(" of '")
                .append(m.database())
                .append("' (taken ")
                .append(m.createdAt())
                .append(", ")
                .append(files)
                .append(files == 1 ? " file, " : " files, ")
                .append(BackupService.humanBytes(bytes))
                .append(") from store '")
                .append(t.record().store())
                .append("' into ")
                .append(t.dir())
                .append(". ");
        if (t.destructive()) {
            s.append("The directory exists and holds ")
                    .append(t.entries())
                    .append(" entr")
                    .append(t.entries() == 1 ? "y" : "ies")
                    .append(": its contents will be REPLACED by the backup's; files that are not in the backup are"
                            + " removed. ");
        } else {
            s.append(t.exists() ? "The directory is empty. " : "The directory does not exist and is created. ")
                    .append("Nothing existing is changed. ");
        }
        s.append("The archive is extracted into a staging directory beside it and swapped in only after every"
                + " entry was extracted safely and the SHA-256 matched; if anything fails, the target is left as it"
                + " was.");
        return new DirectoryRestorePlan(
                m.id(),
                t.record().store(),
                m.createdAt(),
                m.sizeBytes(),
                m.sha256(),
                m.database(),
                d == null ? null : d.path(),
                files,
                bytes,
                t.dir().toString(),
                t.exists(),
                t.entries(),
                t.destructive(),
                c,
                s.toString());
    }

    /** Restores; a non-empty target needs the plan's token. */
    DirectoryRestoreResult restore(BackupRecord rec, DirectoryRestoreRequest request, OperationContext context) {
        Instant started = clock.instant();
        Manifest m = rec.manifest();
        AuditLog.Entry base = new AuditLog.Entry(
                started,
                context.transport(),
                context.subject(),
                "restore:directory",
                m.id(),
                m.database(),
                rec.store(),
                request.targetDir() == null ? null : "dir:" + request.targetDir(),
                null,
                null,
                null,
                null);
        try {
            Target t = resolve(rec, request);
            base = new AuditLog.Entry(
                    base.time(),
                    base.transport(),
                    base.subject(),
                    t.destructive() ? "restore:replace" : "restore:directory",
                    base.backupId(),
                    base.database(),
                    base.store(),
                    "dir:" + t.dir(),
                    null,
                    null,
                    null,
                    null);
            if (t.destructive()) {
                if (request.confirmToken() == null || request.confirmToken().isBlank()) {
                    throw new LifeboatException(
                            ErrorCode.CONFIRMATION_REQUIRED,
                            "restoring " + m.id() + " into " + t.dir() + " replaces its " + t.entries()
                                    + " existing entr" + (t.entries() == 1 ? "y" : "ies")
                                    + "; it needs a confirmation token",
                            "make a plan first (lifeboat restore " + m.id() + " --target-dir " + t.dir()
                                    + " --plan, or restore_backup with target_dir and without confirm_token)"
                                    + " and pass its token");
                }
                confirmations.redeem(request.confirmToken(), t.binding());
            }
            context.cancel().throwIfCancelled();
            String untouched = t.dir() + " was left as it was";
            AgeIdentity identity = identityFor(rec);
            context.progress().report(0, m.sizeBytes(), "restoring " + m.id() + " into " + t.dir());
            SafeExtractor.Result r;
            try (StoredArchive a = open(rec, identity, context)) {
                try {
                    r = SafeExtractor.extract(
                            a.plain(),
                            t.dir(),
                            t.destructive() ? SafeExtractor.Mode.REPLACE : SafeExtractor.Mode.INTO_EMPTY,
                            () -> a.requireIntact(untouched));
                } catch (IOException e) {
                    if (context.cancel().isCancelled() || a.readFailed()) {
                        throw a.unreadable(e, untouched);
                    }
                    throw new LifeboatException(
                            ErrorCode.INVALID_ARGUMENT,
                            "cannot restore into " + t.dir() + ": " + e.getMessage() + "; " + untouched,
                            "check free space and that lifeboat may write to "
                                    + t.dir().getParent(),
                            e);
                } catch (LifeboatException e) {
                    throw a.explain(e, untouched);
                }
            }
            long millis = Duration.between(started, clock.instant()).toMillis();
            audit.write(BackupService.outcome(base, "ok", null, m.sizeBytes(), r.files() + " files"));
            return new DirectoryRestoreResult(
                    m.id(),
                    rec.store(),
                    t.dir().toString(),
                    t.destructive(),
                    r.files(),
                    r.directories(),
                    r.symlinks(),
                    r.fileBytes(),
                    m.sizeBytes(),
                    m.sha256(),
                    started,
                    millis);
        } catch (LifeboatException e) {
            LifeboatException out = context.cancel().isCancelled() ? BackupService.cancelled(e) : e;
            audit.write(BackupService.outcome(base, "error", out, null, out.getMessage()));
            throw out;
        } finally {
            Thread.interrupted();
        }
    }

    private Target resolve(BackupRecord rec, DirectoryRestoreRequest request) {
        Manifest m = rec.manifest();
        if (!m.ofDirectory()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "backup " + m.id() + " is a database backup, not a directory backup",
                    "restore it into a database (lifeboat restore " + m.id()
                            + " [--target-database NAME], or restore_backup without target_dir)");
        }
        String text = request.targetDir();
        if (text == null || text.isBlank() || text.indexOf('\0') >= 0) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "backup " + m.id() + " is a directory backup: name the directory to restore it into",
                    "pass --target-dir PATH (restore_backup: target_dir)");
        }
        Path dir = Path.of(text);
        if (!dir.isAbsolute()) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the restore target '" + text + "' is not an absolute path",
                    "name the target directory by its absolute path, e.g. /srv/app/uploads-restored");
        }
        // every later check and the plan work on the path the file system will write to: a link in
        // the path must not carry the restore into a store or the state directory unseen
        dir = RealPaths.resolveParent(dir);
        if (dir.getParent() == null) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT, "refusing to restore into the root directory", "name a subdirectory");
        }
        for (Path protectedDir : protectedDirectories()) {
            if (RealPaths.overlap(dir, protectedDir)) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "refusing to restore into " + text
                                + (dir.toString().equals(text) ? "" : " (which is " + dir + ")")
                                + ": it overlaps " + protectedDir
                                + ", which Lifeboat itself uses (a store or the state directory)",
                        "choose a directory outside Lifeboat's stores and state directory");
            }
        }
        boolean exists = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        long entries = 0;
        if (exists) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "cannot restore into " + dir + ": it exists and is not a directory"
                                + (Files.isSymbolicLink(dir) ? " (it is a symbolic link)" : ""),
                        "name a directory (a symbolic link is not followed: name the directory it points to)");
            }
            try (var s = Files.list(dir)) {
                entries = s.count();
            } catch (IOException e) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "cannot read the restore target " + dir + ": " + e.getMessage(),
                        "check its permissions");
            }
        } else if (!Files.isDirectory(dir.getParent())) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "cannot restore into " + dir + ": its parent directory does not exist",
                    "create " + dir.getParent() + " first");
        }
        return new Target(rec, dir, exists, entries);
    }

    /** Directories a restore must never replace or write into: local stores and the state directory. */
    private List<Path> protectedDirectories() {
        List<Path> out = new ArrayList<>();
        out.add(RealPaths.resolve(config.stateDir()));
        for (StoreConfig sc : config.stores().values()) {
            if (sc.uri().scheme().equals("file")) {
                out.add(RealPaths.resolve(Path.of(sc.uri().path())));
            }
        }
        return out;
    }

    // ---- helpers ----

    private AgeIdentity identityFor(BackupRecord rec) {
        Manifest m = rec.manifest();
        return m.encryption() == null
                ? null
                : passwords.ageIdentity(
                        config.store(rec.store()), m.encryption().recipients());
    }

    private StoredArchive open(BackupRecord rec, AgeIdentity identity, OperationContext context) {
        Catalog catalog = new Catalog(stores.apply(config.store(rec.store())));
        return StoredArchive.open(catalog, rec.manifest(), identity, context.cancel(), context.progress());
    }

    private static void discardQuietly(Catalog catalog, BackupId id) {
        try {
            catalog.discardData(id);
        } catch (LifeboatException e) {
            LOG.warn("could not remove the data of failed backup {}: {}", id, e.getMessage());
        }
    }
}
