package dev.lifeboat.core.restore;

import dev.lifeboat.core.archive.StoredArchive;
import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.ByteSizes;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.RealPaths;
import dev.lifeboat.core.base.Remedy;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Outcome;
import dev.lifeboat.core.confirm.PlanBinding;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.AgeIdentity;
import dev.lifeboat.core.source.files.SafeExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a directory backup into a directory through the safe extractor: entries that would land
 * outside the target are refused, the archive is extracted beside the target and swapped in only
 * after it was extracted completely and its SHA-256 matched, so a refused, damaged or cancelled
 * restore leaves the target as it was. A non-empty target needs the plan's token. Targets are
 * compared as real paths: a link cannot carry a restore into a store or the state directory.
 */
public final class DirectoryRestore {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryRestore.class);

    private final LifeboatContext ctx;

    public DirectoryRestore(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Works out what restoring a directory backup would do. A non-empty target is destructive (its
     * contents are replaced) and the plan comes with a single-use token bound to the backup, its
     * checksum and the target path.
     */
    public DirectoryRestorePlan plan(DirectoryRestoreRequest request) {
        return plan(ctx.getReadable(request.backupId(), request.store()), request);
    }

    /** Restores, or answers with the plan when the target is not empty and the request carries no token. */
    public Outcome<DirectoryRestorePlan, DirectoryRestoreResult> request(
            DirectoryRestoreRequest request, OperationContext context) {
        if (!Confirmations.given(request.confirmToken())) {
            DirectoryRestorePlan plan = plan(request);
            if (plan.confirmation() != null) {
                return Outcome.confirmationRequired(plan);
            }
        }
        return Outcome.done(restore(request, context));
    }

    /**
     * Restores a directory backup into a directory through the safe extractor: entries that would
     * land outside the target are refused, the archive is extracted beside the target and swapped in
     * only after it was extracted completely and its SHA-256 matched, so a refused, damaged or
     * cancelled restore leaves the target as it was. A non-empty target needs the plan's token.
     */
    public DirectoryRestoreResult restore(DirectoryRestoreRequest request, OperationContext context) {
        BackupRecord rec;
        try {
            rec = ctx.getReadable(request.backupId(), request.store());
        } catch (LifeboatException e) {
            ctx.audit()
                    .write(AuditLog.Entry.start(ctx.now(), context, "restore:directory")
                            .about(request.backupId(), null, request.store())
                            .error(e));
            throw e;
        }
        return restore(rec, request, context);
    }

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
    private DirectoryRestorePlan plan(BackupRecord rec, DirectoryRestoreRequest request) {
        Target t = resolve(rec, request);
        Confirmation c = t.destructive() ? ctx.issue(t.binding()) : null;
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
                .append(ByteSizes.human(bytes))
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
    private DirectoryRestoreResult restore(
            BackupRecord rec, DirectoryRestoreRequest request, OperationContext context) {
        Instant started = ctx.now();
        Manifest m = rec.manifest();
        AuditLog.Entry base = AuditLog.Entry.start(started, context, "restore:directory")
                .about(m.id(), m.database(), rec.store())
                .target(request.targetDir() == null ? null : "dir:" + request.targetDir());
        try {
            Target t = resolve(rec, request);
            base = base.operation(t.destructive() ? "restore:replace" : "restore:directory")
                    .target("dir:" + t.dir());
            if (t.destructive()) {
                Confirmations.requireToken(
                        request.confirmToken(),
                        "restoring " + m.id() + " into " + t.dir() + " replaces its " + t.entries()
                                + " existing entr" + (t.entries() == 1 ? "y" : "ies")
                                + "; it needs a confirmation token",
                        Confirmations.PLAN_FIRST);
                ctx.confirmations().redeem(request.confirmToken(), t.binding());
            }
            context.cancel().throwIfCancelled();
            ctx.audit().write(base.started());
            String untouched = t.dir() + " was left as it was";
            AgeIdentity identity = ctx.identityFor(rec);
            context.progress().report(0, m.sizeBytes(), "restoring " + m.id() + " into " + t.dir());
            SafeExtractor.Result r;
            try (StoredArchive a = StoredArchive.open(ctx, rec, identity, context)) {
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
            long millis = Duration.between(started, ctx.now()).toMillis();
            ctx.audit().write(base.ok(m.sizeBytes(), r.files() + " files"));
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
            throw ctx.failed(base, e, context);
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
                    "restore it into a database: leave out " + Remedy.TARGET_DIR);
        }
        String text = request.targetDir();
        if (text == null || text.isBlank() || text.indexOf('\0') >= 0) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "backup " + m.id() + " is a directory backup: name the directory to restore it into",
                    "name the directory with " + Remedy.TARGET_DIR);
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
        out.add(RealPaths.resolve(ctx.config().stateDir()));
        for (StoreConfig sc : ctx.config().stores().values()) {
            if (sc.uri().scheme().equals("file")) {
                out.add(RealPaths.resolve(Path.of(sc.uri().path())));
            }
        }
        return out;
    }
}
