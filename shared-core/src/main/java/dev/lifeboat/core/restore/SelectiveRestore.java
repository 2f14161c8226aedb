package dev.lifeboat.core.restore;

import dev.lifeboat.core.archive.BackgroundHash;
import dev.lifeboat.core.archive.VerifiedArchive;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.ArchiveToc;
import dev.lifeboat.core.engine.Databases;
import dev.lifeboat.core.engine.DumpEngine;
import dev.lifeboat.core.engine.TableReplacement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A selective restore over an existing database: the selected tables come back from the backup in
 * one transaction, their current contents are kept aside in a schema of their own for undo, and the
 * rest of the database is untouched. The recipe: take the target's restore lock; verify the stored
 * bytes; choose the archive entries (only tables and what hangs off them: the objects they need are
 * the target's own); then the engine moves, restores and puts the dependents back in one transaction.
 */
final class SelectiveRestore {
    static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final VerifiedArchive archives;
    private final Supplier<Instant> now;
    private final java.util.function.Function<RestoreTarget.Resolved, String> keptRoles;

    SelectiveRestore(
            VerifiedArchive archives,
            Supplier<Instant> now,
            java.util.function.Function<RestoreTarget.Resolved, String> keptRoles) {
        this.archives = archives;
        this.now = now;
        this.keptRoles = keptRoles;
    }

    ReplaceRestore.Replaced run(
            RestoreTarget.Resolved r,
            BackgroundHash hash,
            OperationContext context,
            Consumer<SelectedEntries> selected) {
        DumpEngine engine = r.engine();
        Manifest m = r.record().manifest();
        try (Databases.Lock lock = RestoreLock.take(engine.databases(), r.spec())) {
            engine.prepareRestore();
            Instant at = now.get();
            String keep = KeptTables.freeName(engine, r.spec(), at);
            Duration keepFor = KeptTables.keepFor(r.keepPrevious());
            Instant expires = at.plus(keepFor);
            return archives.read(r.record(), context, "the target database was not touched", hash, archive -> {
                ArchiveToc toc = DatabaseRestore.tableOfContents(engine, archive);
                SelectedEntries entries = select(toc, r);
                selected.accept(entries);
                RoleSetup roles = RoleSetup.prepare(r, archive, toc, entries.ids(), () -> keptRoles.apply(r));
                roles.createRoles();
                context.progress()
                        .report(
                                m.sizeBytes(),
                                m.sizeBytes(),
                                "restoring " + entries.tables().size() + " table(s) into " + r.dbname());
                List<String> kept;
                try {
                    kept = engine.replaceTables(
                            archive,
                            r.spec(),
                            new TableReplacement(
                                    entries.ids(),
                                    entries.names(),
                                    keep,
                                    KeptTables.comment(m.id(), at, expires, entries.names()),
                                    r.targetConfig().restoreLockTimeout(),
                                    roles.decision().keepOwners(),
                                    roles.decision().grants()));
                } catch (LifeboatException e) {
                    throw roles.undo(e);
                }
                List<String> notes = new ArrayList<>(roles.notes());
                List<String> keptExisting = new ArrayList<>();
                for (int i = 0; i < entries.tables().size(); i++) {
                    if (r.dependents().rows().containsKey(entries.tables().get(i))) {
                        keptExisting.add(kept.get(i));
                    }
                }
                if (!keptExisting.isEmpty()) {
                    notes.add("the replaced tables are kept as " + String.join(", ", keptExisting));
                }
                if (!r.dependents().foreignKeys().isEmpty()) {
                    notes.add("foreign keys added again and checked: "
                            + String.join(", ", r.dependents().foreignKeys()));
                }
                if (!r.dependents().views().isEmpty()) {
                    notes.add("views pointed at the restored tables: "
                            + String.join(", ", r.dependents().views()));
                }
                return new ReplaceRestore.Replaced(
                        m.sizeBytes(),
                        keptExisting.isEmpty() ? null : keep,
                        keptExisting.isEmpty() ? null : expires,
                        List.of(),
                        notes,
                        0);
            });
        }
    }

    /**
     * The entries of {@code toc} that restore {@code r}'s selection over the existing database: its
     * schemas read as their tables (their other objects are the target's own), foreign keys to tables
     * the target has kept.
     */
    static SelectedEntries entries(ArchiveToc toc, RestoreTarget.Resolved r) {
        List<String> tables = new ArrayList<>(r.selection().tables());
        toc.entries().stream()
                .filter(e -> e.kind().equals("TABLE") && r.selection().schemas().contains(e.schema()))
                .map(ArchiveToc.Entry::qualifiedName)
                .filter(t -> !tables.contains(t))
                .forEach(tables::add);
        Set<String> present = new HashSet<>(r.state().tables());
        return SelectedEntries.of(toc, new Selection(tables, List.of()), false, present);
    }

    /**
     * The archive entries for the selection's tables (a schema read as its tables: its other objects
     * are the target's own), refused when the archive names a table the plan did not.
     */
    private static SelectedEntries select(ArchiveToc toc, RestoreTarget.Resolved r) {
        SelectedEntries entries = entries(toc, r);
        List<String> planned =
                RestoreTarget.plannedTables(r.selection(), r.record().manifest());
        List<String> unplanned =
                entries.tables().stream().filter(t -> !planned.contains(t)).toList();
        if (!unplanned.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.INTEGRITY_FAILED,
                    "the archive holds table(s) " + String.join(", ", unplanned)
                            + " that its manifest does not list, so the plan did not name them; the target database"
                            + " was not touched",
                    "name the tables to restore one by one");
        }
        return entries;
    }
}
