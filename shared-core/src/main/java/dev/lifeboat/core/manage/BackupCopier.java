package dev.lifeboat.core.manage;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.HashingInputStream;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.pipe.BulkReadFilterInputStream;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Copies one committed backup from a store to another (local to off-site, S3 to GCS...), so that a
 * user can keep 3-2-1 copies. The data streams from one store into the other without a local
 * spool, hashed on the way: if the bytes read do not match the source manifest's size and SHA-256,
 * the stream fails at its end, the target store aborts the write and nothing lands. Then, unless told
 * not to, what arrived is read back and checked again. Only then is the manifest written,
 * create-only and last, so the copy is listed in the target with the same id and checksum, or not
 * at all. Copying a backup that is already there (same id, same checksum) does nothing.
 */
public final class BackupCopier {

    /**
     * What a copy did.
     *
     * @param manifest the backup's manifest, the same in both stores
     * @param from the source store's description
     * @param to the target store's description
     * @param bytes bytes copied (0 when the backup was already there)
     * @param alreadyPresent the target already held this backup with the same checksum
     * @param readBack what arrived was read back from the target and its SHA-256 checked
     */
    public record CopyResult(
            Manifest manifest, String from, String to, long bytes, boolean alreadyPresent, boolean readBack) {}

    /** Copies, then reads the copy back from the target to check it: the safe default. */
    public CopyResult copy(BackupId id, BackupStore from, BackupStore to, OperationContext context) {
        return copy(id, from, to, context, true);
    }

    /**
     * Copies backup {@code id} from {@code from} to {@code to}.
     *
     * @param readBack read the arrived data back from the target and check its SHA-256 (one more
     *     full read of the target; without it, the bytes sent are checked and the arrived size)
     * @throws LifeboatException NOT_FOUND when the source has no such backup; INTEGRITY_FAILED when
     *     the source data does not match its manifest, or the copy does not; ALREADY_EXISTS when the
     *     target holds a different backup under the same id
     */
    public CopyResult copy(BackupId id, BackupStore from, BackupStore to, OperationContext context, boolean readBack) {
        Catalog source = new Catalog(from);
        Catalog target = new Catalog(to);
        Manifest m = source.find(id)
                .orElseThrow(() -> new LifeboatException(
                        ErrorCode.NOT_FOUND,
                        "no backup " + id + " in " + from.describe(),
                        "list the backups of that store to find the id"));
        // a newer manifest would lose the fields this version does not know when it is written again
        m.requireReadable();
        Optional<Manifest> there = target.find(id);
        if (there.isPresent()) {
            requireSame(m, there.get(), to);
            return new CopyResult(m, from.describe(), to.describe(), 0, true, false);
        }
        context.cancel().throwIfCancelled();
        try (CancelSignal.Registration reg = context.cancel().onCancel(Thread.currentThread()::interrupt)) {
            long bytes = sendData(id, m, source, target, context);
            if (readBack) {
                checkArrived(id, m, target, context);
            } else {
                ObjectInfo arrived = target.statData(id)
                        .orElseThrow(() -> integrity(id, m, to, "the data vanished after it was written"));
                if (arrived.size() != m.sizeBytes()) {
                    target.discardData(id);
                    throw integrity(id, m, to, "the target holds " + arrived.size() + " bytes");
                }
            }
            if (m.roles() != null) {
                sendRoles(id, m, source, target);
            }
            context.cancel().throwIfCancelled();
            try {
                target.commit(m);
            } catch (LifeboatException e) {
                if (e.code() == ErrorCode.ALREADY_EXISTS) {
                    // another copier committed first: fine if it is the same backup
                    requireSame(m, target.find(id).orElseThrow(() -> e), to);
                    return new CopyResult(m, from.describe(), to.describe(), bytes, true, readBack);
                }
                target.discardData(id);
                throw e;
            }
            return new CopyResult(m, from.describe(), to.describe(), bytes, false, readBack);
        }
    }

    /**
     * Copies the roles a backup keeps, hashed on the way and checked against the manifest (a mismatch
     * removes what arrived); an object already there (an earlier, interrupted copy) is checked instead.
     */
    private static void sendRoles(BackupId id, Manifest m, Catalog source, Catalog target) {
        HashingInputStream h;
        boolean there = false;
        try (InputStream in = source.openRoles(id)) {
            h = new HashingInputStream(in, n -> {});
            try {
                target.putRoles(id, h);
            } catch (LifeboatException e) {
                if (e.code() != ErrorCode.ALREADY_EXISTS) {
                    throw e;
                }
                there = true;
            }
            if (there) {
                try (InputStream arrived = target.openRoles(id)) {
                    h = HashingInputStream.drain(arrived, n -> {});
                }
            }
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot copy the roles of backup " + id + ": " + e.getMessage(),
                    "check both stores and try again",
                    e);
        }
        if (h.count() != m.roles().sizeBytes() || !h.sha256().equals(m.roles().sha256())) {
            if (!there) {
                target.discardRoles(id);
            }
            throw integrity(id, m, source.store(), "its roles file does not match the manifest");
        }
    }

    private static long sendData(BackupId id, Manifest m, Catalog source, Catalog target, OperationContext context) {
        BackupStore to = target.store();
        try (InputStream in = source.openData(id)) {
            Checked checked = new Checked(in, m, source.store(), context.progress());
            try {
                target.putData(id, checked);
                return checked.hashing.count();
            } catch (LifeboatException e) {
                if (e.code() != ErrorCode.ALREADY_EXISTS) {
                    throw e;
                }
            }
        } catch (IOException e) {
            context.cancel().throwIfCancelled();
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read backup " + id + " from " + source.store().describe() + ": " + e.getMessage(),
                    "check the source store and try again",
                    e);
        }
        // data without a manifest: an earlier copy or backup stopped before its commit. Deleting it
        // could pull the data from under a copier still running, so use it only if it is intact.
        try {
            checkArrived(id, m, target, context);
        } catch (LifeboatException e) {
            if (e.code() != ErrorCode.INTEGRITY_FAILED) {
                throw e;
            }
            throw new LifeboatException(
                    ErrorCode.ALREADY_EXISTS,
                    "an incomplete copy of backup " + id + " is in the way in " + to.describe() + " ("
                            + Catalog.dumpKey(id) + ", no manifest, not matching the source)",
                    "if no other copy is running, delete that object and copy again");
        }
        return 0;
    }

    /** Reads the target's data back and checks size and SHA-256; removes it when it does not match. */
    private static void checkArrived(BackupId id, Manifest m, Catalog target, OperationContext context) {
        HashingInputStream h;
        try (InputStream in = target.openData(id)) {
            h = HashingInputStream.drain(
                    in, n -> context.progress().report(n, m.sizeBytes(), "checking the copy of " + id));
        } catch (IOException e) {
            context.cancel().throwIfCancelled();
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read the copy of backup " + id + " back from "
                            + target.store().describe() + ": " + e.getMessage(),
                    "check the target store and try again",
                    e);
        }
        String sha = h.sha256();
        if (h.count() != m.sizeBytes() || !sha.equals(m.sha256())) {
            target.discardData(id);
            throw integrity(
                    id, m, target.store(), "the copy read back has " + h.count() + " bytes with SHA-256 " + sha);
        }
    }

    private static void requireSame(Manifest wanted, Manifest found, BackupStore to) {
        if (!wanted.sha256().equals(found.sha256()) || wanted.sizeBytes() != found.sizeBytes()) {
            throw new LifeboatException(
                    ErrorCode.ALREADY_EXISTS,
                    "backup " + wanted.id() + " already exists in " + to.describe() + " with different data (SHA-256 "
                            + found.sha256() + ", not " + wanted.sha256() + ")",
                    "the two stores disagree about this backup; verify both before deleting either");
        }
    }

    private static LifeboatException integrity(BackupId id, Manifest m, BackupStore where, String found) {
        return new LifeboatException(
                ErrorCode.INTEGRITY_FAILED,
                "backup " + id + " in " + where.describe() + " does not match its manifest (" + m.sizeBytes()
                        + " bytes, SHA-256 " + m.sha256() + "): " + found + "; nothing was committed",
                "verify the source backup; copy another backup or copy again");
    }

    /**
     * The source data, hashed as it is read. At its end it compares what was read with the manifest
     * and, if they differ, fails instead of ending, so the target store aborts the write.
     */
    private static final class Checked extends BulkReadFilterInputStream {
        private final HashingInputStream hashing;
        private final Manifest manifest;
        private final BackupStore source;
        private boolean checked;

        Checked(InputStream in, Manifest manifest, BackupStore source, Progress progress) {
            this(
                    new HashingInputStream(
                            in, n -> progress.report(n, manifest.sizeBytes(), "copying " + manifest.id())),
                    manifest,
                    source);
        }

        private Checked(HashingInputStream hashing, Manifest manifest, BackupStore source) {
            super(hashing);
            this.hashing = hashing;
            this.manifest = manifest;
            this.source = source;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = hashing.read(b, off, len);
            if (n == -1 && !checked) {
                checked = true;
                String sha = hashing.sha256();
                if (hashing.count() != manifest.sizeBytes() || !sha.equals(manifest.sha256())) {
                    throw integrity(
                            manifest.backupId(),
                            manifest,
                            source,
                            "read " + hashing.count() + " bytes with SHA-256 " + sha);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("skipping would leave bytes out of the checksum");
        }
    }
}
