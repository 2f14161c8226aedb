package dev.lifeboat.cli;

import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.manage.DeletePlan;
import dev.lifeboat.core.restore.DirectoryRestorePlan;
import dev.lifeboat.core.restore.DirectoryRestoreResult;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreResult;
import java.time.Instant;

/** The text people read about destructive acts: plans, the confirmation step, and what was done. */
public final class PlanText {
    private PlanText() {}

    public static String plan(RestorePlan p) {
        StringBuilder b = new StringBuilder();
        b.append(p.destructive() ? "DESTRUCTIVE restore plan" : "restore plan").append('\n');
        if (p.summary() != null) {
            b.append("  ").append(p.summary()).append('\n');
        }
        backupField(b, p.backupId(), p.store(), p.backupSizeBytes(), p.backupCreatedAt());
        HumanText.field(
                b,
                "target",
                p.targetDbname() + " on " + p.targetServer() + " (configured as " + p.target() + ", "
                        + (p.targetExists() ? "exists" : "does not exist") + ")");
        HumanText.field(b, "mode", p.mode().id());
        if (!p.selection().everything()) {
            HumanText.field(b, "only", p.selection().describe());
        }
        for (String d : p.dependents()) {
            HumanText.field(b, "dependent", d);
        }
        for (String x : p.skipped()) {
            HumanText.field(b, "skipped", x);
        }
        if (!p.willReplace().isEmpty()) {
            HumanText.field(b, "replaces", String.join(", ", p.willReplace()));
        }
        if (!p.willKeep().isEmpty()) {
            HumanText.field(b, "keeps", String.join(", ", p.willKeep()));
        }
        if (p.mode() == dev.lifeboat.core.restore.RestoreMode.REPLACE) {
            if (!p.onlyInTarget().isEmpty()) {
                HumanText.field(
                        b, "gone after", String.join(", ", p.onlyInTarget()) + " (only in the current database)");
            }
            if (p.targetOwner() != null) {
                HumanText.field(
                        b,
                        "current",
                        "owner " + p.targetOwner()
                                + (p.targetSizeBytes() >= 0 ? ", " + Sizes.bytes(p.targetSizeBytes()) : ""));
            }
            HumanText.field(
                    b,
                    "undo",
                    p.undoable() ? "kept as " + p.keptAs() + " for " + p.keptFor() : "NOT possible (keep_previous 0)");
        }
        if (p.mode() == dev.lifeboat.core.restore.RestoreMode.CLEAN) {
            HumanText.field(
                    b,
                    "undo",
                    p.safetyBackup()
                            ? "a safety backup is taken first; undo restores it"
                            : "NOT possible (no safety backup)");
        }
        for (String session : p.sessions()) {
            HumanText.field(b, "session", session);
        }
        for (String w : p.warnings()) {
            HumanText.field(b, "warning", w);
        }
        return b.toString().stripTrailing();
    }

    /** The plan line naming the backup a restore reads: its id, store, size and age. */
    private static void backupField(StringBuilder b, String backupId, String store, long sizeBytes, Instant createdAt) {
        HumanText.field(
                b,
                "backup",
                backupId + " (store " + store + ", " + Sizes.bytes(sizeBytes) + ", " + HumanText.age(createdAt) + ")");
    }

    public static String directoryPlan(DirectoryRestorePlan p) {
        StringBuilder b = new StringBuilder();
        b.append(p.destructive() ? "DESTRUCTIVE restore plan" : "restore plan").append('\n');
        b.append("  ").append(p.summary()).append('\n');
        backupField(b, p.backupId(), p.store(), p.backupSizeBytes(), p.backupCreatedAt());
        HumanText.field(
                b,
                "target",
                p.targetDir() + " ("
                        + (!p.targetExists()
                                ? "does not exist"
                                : p.targetEntries() == 0 ? "empty" : p.targetEntries() + " entries, replaced")
                        + ")");
        return b.toString().stripTrailing();
    }

    public static String directoryRestored(DirectoryRestoreResult r) {
        return "restored " + r.backupId() + " into " + r.targetDir() + (r.replaced() ? " (contents replaced)" : "")
                + "\n"
                + "  extracted  " + HumanText.count((int) r.files(), "file") + ", "
                + HumanText.count((int) r.directories(), "directory")
                + ", " + HumanText.count((int) r.symlinks(), "symlink") + ", " + Sizes.bytes(r.fileBytes()) + "\n"
                + "  verified   " + Sizes.bytes(r.bytes()) + ", sha256 " + r.sha256() + "\n"
                + "  took       " + Sizes.millis(r.durationMillis());
    }

    public static String deletePlan(DeletePlan p) {
        StringBuilder b = new StringBuilder("DESTRUCTIVE delete plan\n");
        if (p.summary() != null) {
            b.append("  ").append(p.summary()).append('\n');
        }
        HumanText.field(
                b,
                "backup",
                p.backupId() + " (database " + p.database() + ", store " + p.store() + ", " + Sizes.bytes(p.sizeBytes())
                        + ", " + HumanText.age(p.createdAt()) + ")");
        return b.toString().stripTrailing();
    }

    /** How to go on from a plan that needs confirmation. */
    public static String confirmation(Confirmation c, String nextCommand) {
        StringBuilder b = new StringBuilder();
        b.append("confirmation required: nothing was changed.\n");
        if (c.operatorApproval()) {
            b.append("An operator must approve this plan first:\n  lifeboat approve ")
                    .append(c.planId())
                    .append('\n');
        }
        b.append("To carry it out, run before ")
                .append(HumanText.time(c.expiresAt()))
                .append(" (single use):\n  ")
                .append(nextCommand);
        return b.toString();
    }

    public static String restored(RestoreResult r) {
        return "restored " + r.backupId() + " into " + r.targetDbname() + " on " + r.targetServer() + " ("
                + r.mode().id() + ")\n"
                + "  verified   " + Sizes.bytes(r.bytes()) + ", sha256 " + r.sha256() + "\n"
                + "  jobs       " + r.jobs()
                + (r.mode() == dev.lifeboat.core.restore.RestoreMode.CLEAN ? " (one transaction)" : "")
                + "\n"
                + "  took       " + Sizes.millis(r.durationMillis())
                + (r.previous() == null || r.mode() != dev.lifeboat.core.restore.RestoreMode.CLEAN
                        ? ""
                        : "\n  safety     backup " + r.previous() + " taken first (undo: lifeboat restore undo "
                                + r.target() + " --target-dbname " + r.targetDbname() + ")")
                + (r.previous() == null || r.mode() != dev.lifeboat.core.restore.RestoreMode.REPLACE
                        ? ""
                        : "\n  previous   kept as " + r.previous() + " until " + HumanText.time(r.previousExpiresAt())
                                + " (undo: lifeboat restore undo " + r.target() + " --target-dbname "
                                + r.targetDbname() + ")"
                                + "\n  swap       " + Sizes.millis(r.swapMillis())
                                + " (the only time the database was unavailable)")
                + (r.sessionsEnded().isEmpty() ? "" : "\n  ended      " + String.join("; ", r.sessionsEnded()))
                + (r.tables().isEmpty() ? "" : "\n  tables     " + String.join(", ", r.tables()))
                + (r.skipped().isEmpty() ? "" : "\n  skipped    " + String.join("\n  skipped    ", r.skipped()))
                + (r.notes().isEmpty() ? "" : "\n  note       " + String.join("\n  note       ", r.notes()));
    }

    public static String undoPlan(dev.lifeboat.core.restore.UndoPlan p) {
        StringBuilder b = new StringBuilder("DESTRUCTIVE undo plan\n");
        b.append("  ").append(p.summary()).append('\n');
        HumanText.field(b, "target", p.targetDbname() + " on " + p.server() + " (configured as " + p.database() + ")");
        HumanText.field(b, "put back", p.previous() + " (kept " + HumanText.time(p.keptAt()) + ")");
        HumanText.field(b, "current", "kept as " + p.currentKeptAs());
        for (String session : p.sessions()) {
            HumanText.field(b, "session", session);
        }
        return b.toString().stripTrailing();
    }

    public static String undone(dev.lifeboat.core.restore.UndoResult r) {
        return "undone: " + r.targetDbname() + " on " + r.server() + " is again " + r.restoredFrom() + "\n"
                + "  previous   kept as " + r.currentKeptAs() + " until " + HumanText.time(r.currentExpiresAt())
                + (r.sessionsEnded().isEmpty() ? "" : "\n  ended      " + String.join("; ", r.sessionsEnded()))
                + "\n  took       " + Sizes.millis(r.durationMillis());
    }

    public static String previousCopies(
            String database, java.util.List<dev.lifeboat.core.restore.PreviousCopy> copies, java.time.Instant now) {
        if (copies.isEmpty()) {
            return "no previous copies of " + database + " are kept";
        }
        Table t = new Table("DATABASE", "KEPT", "EXPIRES", "STATE");
        for (dev.lifeboat.core.restore.PreviousCopy c : copies) {
            t.row(
                    c.name(),
                    HumanText.time(c.keptAt()),
                    HumanText.time(c.expiresAt()),
                    c.expired(now) ? "expired (prune drops it)" : "undo can put it back");
        }
        return t.render().stripTrailing();
    }

    /** The schemas in which selective restores keep the tables they replaced. */
    public static String keptTables(java.util.List<dev.lifeboat.core.restore.KeptTables> kept, java.time.Instant now) {
        Table t = new Table("SCHEMA", "TABLES", "RESTORE OF", "EXPIRES", "STATE");
        for (dev.lifeboat.core.restore.KeptTables k : kept) {
            t.row(
                    k.schema(),
                    String.join(
                            ", ",
                            k.tables().stream()
                                    .map(dev.lifeboat.core.engine.TableName::qualifiedName)
                                    .toList()),
                    k.restoreOf(),
                    HumanText.time(k.expiresAt()),
                    k.expired(now) ? "expired (prune drops it)" : "undo can put them back");
        }
        return t.render().stripTrailing();
    }

    public static String prunePlan(dev.lifeboat.core.manage.PrunePlan p) {
        StringBuilder b = new StringBuilder(p.summary()).append('\n');
        for (dev.lifeboat.core.manage.PrunePlan.Group g : p.groups()) {
            b.append("\n" + g.database() + " in store " + g.store() + ": " + g.policy() + "\n");
            Table t = new Table("  ACTION", "BACKUP", "CREATED", "WHY");
            for (dev.lifeboat.core.manage.PrunePlan.Removal r : g.remove()) {
                t.row("  remove", r.backupId(), HumanText.time(r.createdAt()), Sizes.bytes(r.sizeBytes()));
            }
            for (dev.lifeboat.core.manage.PrunePlan.Kept k : g.keep()) {
                t.row("  keep", k.backupId(), HumanText.time(k.createdAt()), String.join(", ", k.reasons()));
            }
            b.append(t.render());
        }
        if (!p.expiredCopies().isEmpty()) {
            b.append("\nprevious copies kept for undo, past keep_previous\n");
            Table t = new Table("  ACTION", "DATABASE", "WAS", "EXPIRED");
            for (dev.lifeboat.core.manage.PrunePlan.ExpiredCopy c : p.expiredCopies()) {
                t.row(
                        "  drop",
                        c.keptTables() ? "schema " + c.name() + " in " + c.target() : c.name(),
                        c.keptTables() ? "tables a selective restore replaced" : c.target() + " on " + c.server(),
                        HumanText.time(c.expiredAt()));
            }
            b.append(t.render());
        }
        return b.toString().stripTrailing();
    }

    public static String deleted(BackupRecord r) {
        return "deleted " + r.manifest().id() + " from store " + r.store();
    }
}
