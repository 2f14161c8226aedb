package dev.lifeboat.core.restore;

import dev.lifeboat.core.archive.StoredArchive;
import dev.lifeboat.core.archive.StreamedArchive;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ArchiveToc;
import dev.lifeboat.core.engine.CustomArchive;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.RestoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A one-job restore of a whole archive that would otherwise be copied into a spool file first
 * (encrypted, compressed by Lifeboat, or in a remote store): the stored bytes go from the store through
 * age and zstd straight into pg_restore, hashed on the way, and pg_restore cannot finish before they
 * proved intact ({@link StreamedArchive}). What the restore needs to know before it starts (the table
 * of contents, the roles the grants name) is read from the archive's head. A clean restore runs in one
 * transaction, so damaged bytes roll it back; a restore into a new database drops the database.
 */
final class StreamedRestore {
    private final LifeboatContext ctx;
    private final StreamedArchive archives;
    private final Function<RestoreTarget.Resolved, String> keptRoles;

    StreamedRestore(LifeboatContext ctx, Function<RestoreTarget.Resolved, String> keptRoles) {
        this.ctx = ctx;
        this.archives = new StreamedArchive(ctx);
        this.keptRoles = keptRoles;
    }

    /**
     * Whether {@code r} restores this way: a clean restore, or one job into a new database or a
     * replace's shadow; every entry; an archive that would be spooled; an engine that reads a stream.
     */
    boolean applies(RestoreTarget.Resolved r) {
        boolean oneJob = r.mode() == RestoreMode.CLEAN || r.jobs() == 1;
        return oneJob
                && r.selection().everything()
                && r.engine().restoresFromAStream()
                && archives.savesASpool(r.record());
    }

    /** Into the new database {@code r} names, created here and dropped again if the restore fails. */
    long create(RestoreTarget.Resolved r, OperationContext context, List<String> notes) {
        DumpEngine engine = r.engine();
        RoleSetup roles = roles(r, context);
        roles.createRoles();
        try {
            archives.read(r.record(), context, "the restore stopped", in -> {
                DatabaseRestore.restoreIntoNewDatabase(
                        engine,
                        r.spec(),
                        () -> engine.restore(in, r.spec(), roles.apply(new RestoreOptions(false, 1))));
                return null;
            });
        } catch (LifeboatException e) {
            throw roles.undo(e);
        }
        notes.addAll(roles.notes());
        return r.record().manifest().sizeBytes();
    }

    /**
     * In place, in one transaction: {@code beforeTouching} (the safety backup) first, then pg_restore
     * --clean fed from the store; damaged bytes stop it before it commits.
     */
    long clean(RestoreTarget.Resolved r, OperationContext context, Runnable beforeTouching, List<String> notes) {
        DumpEngine engine = r.engine();
        RoleSetup roles = roles(r, context);
        beforeTouching.run();
        roles.createRoles();
        try {
            archives.read(r.record(), context, "nothing was committed", in -> {
                engine.restore(
                        in,
                        r.spec(),
                        roles.apply(new RestoreOptions(true, 1, r.targetConfig().restoreLockTimeout())));
                return null;
            });
        } catch (LifeboatException e) {
            throw roles.undo(DatabaseRestore.cleanFailed(r, e));
        }
        notes.addAll(roles.notes());
        return r.record().manifest().sizeBytes();
    }

    /** The roles' decision, from the archive's head: its owners and the roles its grants name. */
    RoleSetup roles(RestoreTarget.Resolved r, OperationContext context) {
        r.engine().prepareRestore();
        context.progress()
                .report(0, -1, "reading the head of " + r.record().manifest().id());
        ArchiveToc toc = head(r, in -> r.engine().tableOfContents(in));
        return RoleSetup.prepare(
                r,
                ids -> ids.isEmpty() ? Set.of() : head(r, in -> r.engine().grantRoles(in, ids)),
                toc,
                () -> keptRoles.apply(r));
    }

    /** Runs {@code action} on the archive streamed from the store ({@link StreamedArchive#read}). */
    <T> T read(RestoreTarget.Resolved r, OperationContext context, String untouched, Function<InputStream, T> action) {
        return archives.read(r.record(), context, untouched, action);
    }

    /** {@code read} over the start of the stored archive, decrypted and decompressed (not verified: the restore is). */
    private <T> T head(RestoreTarget.Resolved r, Function<InputStream, T> read) {
        Manifest m = r.record().manifest();
        OperationContext quiet = OperationContext.of("restore", "head");
        try (StoredArchive archive = StoredArchive.open(
                        ctx.catalog(r.record().store()),
                        m,
                        ctx.identityFor(r.record()),
                        quiet.cancel(),
                        quiet.progress());
                InputStream plain = archive.plain()) {
            // refused as the spooling path refuses it, before anything is touched: anything else would
            // reach pg_restore, whose "not a valid archive" says nothing of the backup being damaged
            java.io.BufferedInputStream head = new java.io.BufferedInputStream(plain);
            head.mark(CustomArchive.MAGIC_LENGTH);
            CustomArchive.requireMagic(
                    head.readNBytes(CustomArchive.MAGIC_LENGTH),
                    "backup " + m.id(),
                    "the target database was not touched");
            head.reset();
            return read.apply(head);
        } catch (IOException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read backup " + m.id() + ": " + e.getMessage() + "; the target database was not touched",
                    null,
                    e);
        }
    }
}
