package dev.lifeboat.core.restore;

import dev.lifeboat.core.archive.StoredArchive;
import dev.lifeboat.core.archive.StreamedArchive;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ArchiveToc;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.engine.CustomArchive;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.RestoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
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
 *
 * <p>Asked for several jobs, a restore streams too when one table holds most of the rows
 * ({@link DataStreaming}): the definitions and the data come from the stream in one job, and what
 * follows the data (indexes, constraints, grants) is then built by the jobs asked for, from a copy of
 * the archive's head. Several jobs could not have loaded that table sooner, and the spool they need
 * costs a whole pass over the archive before the first row is loaded.
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
     * Whether {@code r} restores this way: a clean restore, or one job (or a table that holds most of
     * the rows) into a new database or a replace's shadow; every entry; an archive that would be
     * spooled; an engine that reads a stream.
     */
    boolean applies(RestoreTarget.Resolved r) {
        boolean oneJob = r.mode() == RestoreMode.CLEAN || r.jobs() == 1;
        return (oneJob || DataStreaming.pays(r))
                && r.selection().everything()
                && r.engine().restoresFromAStream()
                && archives.savesASpool(r.record());
    }

    /**
     * What the plan says of how {@code r} will run, when it is not the usual way (its data streamed into
     * one job while the jobs asked for build what follows it); null otherwise.
     */
    String planned(RestoreTarget.Resolved r) {
        return applies(r) && DataStreaming.pays(r) ? DataStreaming.planned(r) : null;
    }

    /** Into the new database {@code r} names, created here and dropped again if the restore fails. */
    long create(RestoreTarget.Resolved r, OperationContext context, List<String> notes) {
        DumpEngine engine = r.engine();
        try (Prepared p = prepare(r, context)) {
            p.roles().createRoles();
            try {
                archives.read(r.record(), context, "the restore stopped", in -> {
                    DatabaseRestore.restoreIntoNewDatabase(
                            engine,
                            r.spec(),
                            () -> p.restore(in, r.spec(), p.roles().apply(new RestoreOptions(false, r.jobs()))));
                    return null;
                });
            } catch (LifeboatException e) {
                throw p.roles().undo(e);
            }
            notes.addAll(p.roles().notes());
            notes.addAll(p.notes());
        }
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
        return rolesFrom(r, head(r, in -> r.engine().tableOfContents(in)));
    }

    private RoleSetup rolesFrom(RestoreTarget.Resolved r, ArchiveToc toc) {
        return RoleSetup.prepare(
                r,
                ids -> ids.isEmpty() ? Set.of() : head(r, in -> r.engine().grantRoles(in, ids)),
                toc,
                () -> keptRoles.apply(r));
    }

    /**
     * The restore of {@code r} from the stream made ready: the roles decided from the archive's head
     * and, when the data streams while several jobs build what follows it ({@link DataStreaming}), a
     * copy of that head in a 0600 spool file. Close it once the restore ended: the copy is removed.
     */
    Prepared prepare(RestoreTarget.Resolved r, OperationContext context) {
        if (!DataStreaming.pays(r)) {
            return new Prepared(r, roles(r, context), null);
        }
        r.engine().prepareRestore();
        context.progress()
                .report(0, -1, "reading the head of " + r.record().manifest().id());
        Path head = ArchiveHead.create(ctx, r.record().manifest());
        boolean kept = false;
        try {
            if (head == null || !head(r, in -> ArchiveHead.fill(r.engine(), in, head))) {
                return new Prepared(r, rolesFrom(r, head(r, in -> r.engine().tableOfContents(in))), null);
            }
            Prepared p = new Prepared(r, rolesFrom(r, DatabaseRestore.tableOfContents(r.engine(), head)), head);
            kept = true;
            return p;
        } finally {
            if (head != null && !kept) {
                ArchiveHead.remove(head);
            }
        }
    }

    /** A restore from the stream, ready to run: {@link #restore} once, then {@link #close}. */
    final class Prepared implements AutoCloseable {
        private final RestoreTarget.Resolved r;
        private final RoleSetup roles;
        private final Path head;

        private Prepared(RestoreTarget.Resolved r, RoleSetup roles, Path head) {
            this.r = r;
            this.roles = roles;
            this.head = head;
        }

        RoleSetup roles() {
            return roles;
        }

        /**
         * Restores the archive streamed as {@code in} into {@code into}: in one job; or its definitions
         * and data in one job, then (the stored bytes proved intact by then) what follows the data in
         * {@code options.jobs()} jobs from the head's copy.
         */
        void restore(InputStream in, ConnectionSpec into, RestoreOptions options) {
            DumpEngine engine = r.engine();
            if (head == null) {
                engine.restore(in, into, options.part(RestoreOptions.Sections.ALL, 1));
                return;
            }
            try (InputStream stream = ArchiveHead.rewriting(in, head)) {
                engine.restore(stream, into, options.part(RestoreOptions.Sections.UP_TO_DATA, 1));
                Timeline.mark("restore: definitions and data streamed in one job");
                StreamedArchive.readToTheEnd(stream); // the verdict on the stored bytes, before anything else runs
            } catch (IOException e) {
                throw new LifeboatException(
                        ErrorCode.INTERNAL, "cannot write the head copy " + head + ": " + e.getMessage(), null, e);
            }
            engine.restore(head, into, options.part(RestoreOptions.Sections.POST_DATA, options.jobs()));
            Timeline.mark("restore: indexes and constraints built in " + options.jobs() + " jobs");
        }

        /** What a person should know of how the restore ran. */
        List<String> notes() {
            return head == null ? List.of() : List.of(DataStreaming.note(r));
        }

        @Override
        public void close() {
            if (head != null) {
                ArchiveHead.remove(head);
            }
        }
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
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LifeboatException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "cannot read backup " + m.id() + ": " + e.getMessage() + "; the target database was not touched",
                    null,
                    e);
        }
    }
}
