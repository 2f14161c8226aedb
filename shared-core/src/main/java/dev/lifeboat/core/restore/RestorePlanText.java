package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.ByteSizes;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.Durations;
import java.util.List;

/** A database restore plan in one paragraph of plain words: what is read, what is written, what is lost, what can be undone. */
final class RestorePlanText {
    private RestorePlanText() {}

    static String summary(RestoreTarget.Resolved r, List<String> replace, List<String> onlyInTarget) {
        Manifest m = r.record().manifest();
        StringBuilder s = new StringBuilder();
        s.append("Restore backup ")
                .append(m.id())
                .append(" of database '")
                .append(m.database())
                .append("' (taken ")
                .append(m.createdAt())
                .append(", ")
                .append(ByteSizes.human(m.sizeBytes()))
                .append(", ")
                .append(m.tables().size())
                .append(m.tables().size() == 1 ? " table" : " tables")
                .append(") from store '")
                .append(r.record().store())
                .append("' ");
        if (!r.selection().everything()) {
            s.append("(only ")
                    .append(r.selection().describe())
                    .append(", each whole: data, indexes, constraints, triggers, sequences, grants) ");
        }
        String where = "'" + r.dbname() + "' on " + r.serverText();
        switch (r.mode()) {
            case CREATE -> s.append("into a NEW database ").append(where).append(". Nothing existing is changed.");
            case REPLACE -> {
                if (r.dependents() != null) {
                    tables(s, r, where);
                } else {
                    replace(s, r, where, onlyInTarget);
                }
            }
            case CLEAN -> clean(s, r, where, replace, onlyInTarget);
        }
        return s.toString();
    }

    private static void replace(StringBuilder s, RestoreTarget.Resolved r, String where, List<String> onlyInTarget) {
        s.append("in place of the existing database ").append(where);
        if (r.profile() != null) {
            s.append(" (owner ").append(r.profile().owner());
            if (r.profile().sizeBytes() >= 0) {
                s.append(", ").append(ByteSizes.human(r.profile().sizeBytes()));
            }
            s.append(')');
        }
        s.append(". The backup is restored into a new database beside it and checked first; then the two are")
                .append(" swapped by renaming, so the result is exactly the backup, with the old database's owner,")
                .append(" settings and grants. ");
        if (!onlyInTarget.isEmpty()) {
            s.append(onlyInTarget.size())
                    .append(" table(s) exist only in the current database and will not be in the result (")
                    .append(list(onlyInTarget))
                    .append("). ");
        }
        if (!r.sessions().isEmpty()) {
            s.append(r.sessions().size()).append(" connected session(s) will be ended at the swap. ");
        }
        if (r.keepPrevious().isZero()) {
            s.append("keep_previous is 0: the current database is DROPPED after the swap and the restore cannot be")
                    .append(" undone.");
        } else {
            s.append("The current database is kept as '")
                    .append(new ReplaceNames(r.dbname()).prefix())
                    .append(ReplaceNames.KEPT)
                    .append("<time of the swap>' for ")
                    .append(Durations.text(r.keepPrevious()))
                    .append(": undo puts it back. If anything fails before the swap, the current database is")
                    .append(" left exactly as it is.");
        }
    }

    /** A selective restore over an existing database. */
    private static void tables(StringBuilder s, RestoreTarget.Resolved r, String where) {
        List<String> planned =
                RestoreTarget.plannedTables(r.selection(), r.record().manifest());
        long existing =
                planned.stream().filter(r.dependents().rows()::containsKey).count();
        s.append("into the existing database ")
                .append(where)
                .append(", in ONE transaction: ")
                .append(existing)
                .append(" existing table(s) are replaced (")
                .append(list(planned.stream()
                        .filter(r.dependents().rows()::containsKey)
                        .toList()))
                .append(")");
        if (existing < planned.size()) {
            s.append(" and ").append(planned.size() - existing).append(" missing one(s) created");
        }
        s.append("; the rest of the database is untouched. The current tables are moved, with their indexes,")
                .append(" constraints, triggers and sequences, into a new schema '")
                .append(RestoreTarget.KEEP_PREFIX)
                .append("<time of the restore>' and kept there for undo. ");
        if (!r.dependents().foreignKeys().isEmpty()) {
            s.append(r.dependents().foreignKeys().size())
                    .append(" foreign key(s) of other tables are dropped and added again against the restored rows")
                    .append(" (if those rows lack keys they need, nothing is changed). ");
        }
        if (!r.dependents().views().isEmpty()) {
            s.append(r.dependents().views().size()).append(" view(s) are pointed at the restored tables. ");
        }
        s.append("If anything fails, the database is left exactly as it is.");
    }

    private static void clean(
            StringBuilder s, RestoreTarget.Resolved r, String where, List<String> replace, List<String> onlyInTarget) {
        s.append("OVER the existing database ")
                .append(where)
                .append(", in place. ")
                .append(replace.size())
                .append(" existing table(s) will be dropped and recreated from the backup");
        if (!replace.isEmpty()) {
            s.append(" (").append(list(replace)).append(")");
        }
        s.append("; their current data will be lost. ");
        if (!onlyInTarget.isEmpty()) {
            s.append(onlyInTarget.size())
                    .append(" table(s) not in the backup SURVIVE the restore, so the result mixes the backup and")
                    .append(" today (")
                    .append(list(onlyInTarget))
                    .append("). ");
        }
        s.append("The restore runs in one transaction: if it fails, the database is left as it was. ");
        if (r.safetyBackup()) {
            s.append("Before anything is changed, a safety backup of '")
                    .append(r.dbname())
                    .append("' is taken into store '")
                    .append(r.safetyStore())
                    .append("'; undo restores it.");
        } else {
            s.append("No safety backup is taken (asked for): it cannot be undone.");
        }
    }

    private static String list(List<String> names) {
        return String.join(", ", names.size() > 10 ? names.subList(0, 10) : names) + (names.size() > 10 ? ", ..." : "");
    }
}
