package dev.lifeboat.core.backup;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Version;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.config.DirectoryConfig;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.crypto.Encryption;
import dev.lifeboat.core.pipe.BulkReadFilterInputStream;
import dev.lifeboat.core.source.files.Excludes;
import dev.lifeboat.core.source.files.TarArchiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory as a backup source: a pax tar stream of the configured path (excludes applied) through
 * the same compression, encryption, hashing and commit as a dump. Nothing here knows about PostgreSQL.
 */
public final class DirectoryBackup {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryBackup.class);

    private final LifeboatContext ctx;

    public DirectoryBackup(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Archives a configured directory into a store as {@code request} asks (its label and tags already
     * checked); with no compression requested, the directory's (else the store's, else zstd).
     */
    BackupRecord create(
            DirectoryConfig dir, CreateBackupRequest request, Manifest.SetRun set, OperationContext context) {
        StoreConfig sc = ctx.config().storeFor(dir, request.store());
        CompressionSetting method = CompressionSetting.choose(
                request.compression(), dir.compression(), sc.compression(), CompressionSetting.DIRECTORY_DEFAULT);
        NewBackup backup = new NewBackup(ctx, dir.name(), sc, request.label(), request.tags(), set, context);
        try {
            context.cancel().throwIfCancelled();
            Catalog catalog = new Catalog(ctx.store(sc));
            TarArchiver tar = openSource(dir);
            Source source = new Source(tar, dir, context.cancel());
            context.progress().report(0, -1, "archiving " + dir.path());
            // tar -> [gzip|zstd] -> [age] -> SHA-256 -> store; the compressor is closed in every outcome
            try (tar;
                    CompressionSetting.Encoded compressed = method.compress(source)) {
                Encryption encryption = ctx.encryptionFor(sc);
                DataUpload.Stored up;
                try {
                    up = backup.upload(
                            catalog, compressed.stream(), encryption, "archiving " + dir.name(), "tar archive");
                } catch (LifeboatException e) {
                    throw source.failure != null ? source.failure : e;
                }
                TarArchiver.Summary s = tar.summary();
                s.skipped().forEach(p -> LOG.warn("directory {}: skipped {}", dir.name(), p));
                s.changed().forEach(p -> LOG.warn("directory {}: {}", dir.name(), p));
                Manifest manifest = backup.manifest(
                        up,
                        encryption,
                        Manifest.KIND_DIRECTORY,
                        null,
                        "lifeboat " + Version.get() + " tar (POSIX pax)",
                        "tar",
                        method.method().id(),
                        null,
                        List.of(),
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
                                s.excluded()));
                return backup.commit(catalog, manifest);
            } catch (IOException e) {
                throw new LifeboatException(
                        ErrorCode.INTERNAL, "cannot close the archive of " + dir.path() + ": " + e.getMessage(), null);
            }
        } catch (RuntimeException e) {
            throw backup.failed(e);
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
    private static final class Source extends BulkReadFilterInputStream {
        private final DirectoryConfig dir;
        private final CancelSignal cancel;
        LifeboatException failure;

        Source(InputStream in, DirectoryConfig dir, CancelSignal cancel) {
            super(in);
            this.dir = dir;
            this.cancel = cancel;
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
}
