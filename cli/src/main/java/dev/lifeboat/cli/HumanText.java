package dev.lifeboat.cli;

import dev.lifeboat.core.backup.SetListing;
import dev.lifeboat.core.backup.SetRunResult;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.verify.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The text people read: short lines and small tables, one method per result type. */
public final class HumanText {
    private HumanText() {}

    public static String created(BackupRecord r) {
        Manifest m = r.manifest();
        if (m.ofDirectory()) {
            return "created " + m.id() + " in store " + r.store() + "\n"
                    + "  directory  " + m.database() + " (" + directoryPath(m) + ")\n"
                    + "  size       " + Sizes.bytes(m.sizeBytes()) + ", sha256 " + m.sha256() + "\n"
                    + "  took       " + Sizes.millis(m.durationMillis()) + ", " + contents(m);
        }
        return "created " + m.id() + " in store " + r.store() + "\n"
                + "  database   " + m.database() + " (" + server(m.server()) + ")\n"
                + "  size       " + Sizes.bytes(m.sizeBytes()) + ", sha256 " + m.sha256() + "\n"
                + "  took       " + Sizes.millis(m.durationMillis()) + ", "
                + m.tables().size() + " tables";
    }

    public static String list(List<BackupRecord> backups) {
        if (backups.isEmpty()) {
            return "no backups";
        }
        Table t = new Table("ID", "DATABASE", "KIND", "STORE", "CREATED", "SIZE", "LABEL");
        List<String> notes = new java.util.ArrayList<>();
        for (BackupRecord r : backups) {
            Manifest m = r.manifest();
            t.row(m.id(), m.database(), kind(m), r.store(), time(m.createdAt()), Sizes.bytes(m.sizeBytes()), m.label());
            if (!m.readable()) {
                notes.add(newer(m));
            }
        }
        return notes.isEmpty() ? t.render() : t.render() + "\n\n" + String.join("\n", notes);
    }

    private static String kind(Manifest m) {
        return !m.readable() ? "newer*" : m.ofDirectory() ? "directory" : "database";
    }

    /** The note for a backup this version cannot read: listed, never hidden, but not restorable here. */
    private static String newer(Manifest m) {
        return "* " + m.id() + " was written by a newer Lifeboat (" + m.toolVersion() + ", manifest format "
                + m.formatVersion() + "); upgrade to verify or restore it";
    }

    /** Set runs, newest first: one block per run, its members below. */
    public static String sets(String set, List<SetListing> runs) {
        if (runs.isEmpty()) {
            return "no runs of set " + set;
        }
        StringBuilder b = new StringBuilder();
        for (SetListing run : runs) {
            if (b.length() > 0) {
                b.append("\n\n");
            }
            b.append("set ")
                    .append(run.set())
                    .append(", run ")
                    .append(run.run())
                    .append(" (")
                    .append(time(run.createdAt()))
                    .append(
                            run.missing().isEmpty()
                                    ? ", complete"
                                    : ", INCOMPLETE: no backup of " + String.join(", ", run.missing()))
                    .append(")\n");
            Table t = new Table("  ID", "MEMBER", "KIND", "STORE", "SIZE");
            for (BackupRecord r : run.backups()) {
                Manifest m = r.manifest();
                t.row(
                        "  " + m.id(),
                        m.database(),
                        m.ofDirectory() ? "directory" : "database",
                        r.store(),
                        Sizes.bytes(m.sizeBytes()));
            }
            b.append(t.render());
        }
        return b.toString();
    }

    /** One set run's outcome, member by member. */
    public static String setRun(SetRunResult run) {
        StringBuilder b = new StringBuilder();
        b.append(run.complete() ? "set " : "set INCOMPLETE ")
                .append(run.set())
                .append(", run ")
                .append(run.run())
                .append(": ")
                .append(run.members().size() - run.failed())
                .append(" of ")
                .append(run.members().size())
                .append(" members backed up\n");
        Table t = new Table("  MEMBER", "KIND", "RESULT", "DETAIL");
        for (SetRunResult.Member m : run.members()) {
            if (m.backup() != null) {
                t.row(
                        "  " + m.name(),
                        m.kind(),
                        "ok",
                        m.backup().manifest().id() + " ("
                                + Sizes.bytes(m.backup().manifest().sizeBytes()) + ")");
            } else {
                t.row("  " + m.name(), m.kind(), "FAILED", m.error() + ": " + m.message());
            }
        }
        return b.append(t.render()).toString();
    }

    private static String directoryPath(Manifest m) {
        return m.directory() == null ? "-" : m.directory().path();
    }

    private static String contents(Manifest m) {
        Manifest.DirectoryContents d = m.directory();
        if (d == null) {
            return "-";
        }
        String s = count((int) d.files(), "file") + ", " + count((int) d.directories(), "directory") + ", "
                + count((int) d.symlinks(), "symlink") + ", " + Sizes.bytes(d.fileBytes());
        if (d.skipped() > 0) {
            s += ", " + d.skipped() + " skipped (sockets, devices, vanished files)";
        }
        return s;
    }

    /** What a backup holds, one line per table; the names a selective restore takes. */
    public static String contents(dev.lifeboat.core.restore.BackupContents c) {
        StringBuilder b = new StringBuilder(c.backupId())
                .append(" (database ")
                .append(c.database())
                .append(")\n");
        field(b, "schemas", String.join(", ", c.schemas()));
        for (var t : c.tables()) {
            field(
                    b,
                    "table",
                    t.qualifiedName() + (t.rows() < 0 ? "" : " (" + (t.exact() ? "" : "~") + t.rows() + " rows)"));
        }
        for (String v : c.views()) {
            field(b, "view", v);
        }
        if (!c.objects().isEmpty()) {
            List<String> counts = new java.util.ArrayList<>();
            c.objects().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> counts.add(e.getValue() + " " + e.getKey()));
            field(b, "also", String.join(", ", counts));
        }
        b.append("restore a part: lifeboat restore ")
                .append(c.backupId())
                .append(" --table SCHEMA.TABLE --target-dbname NEW");
        return b.toString();
    }

    public static String detail(BackupRecord r) {
        Manifest m = r.manifest();
        StringBuilder b = new StringBuilder();
        b.append(m.id()).append('\n');
        if (!m.readable()) {
            b.append(newer(m)).append('\n');
        }
        field(b, "store", r.store());
        if (m.ofDirectory()) {
            field(b, "directory", m.database() + " (" + directoryPath(m) + ")");
            field(b, "contents", contents(m));
        } else {
            field(b, "database", m.database());
            field(
                    b,
                    "server",
                    server(m.server())
                            + (m.server() == null
                                    ? ""
                                    : " (PostgreSQL " + m.server().version() + ")"));
        }
        field(b, "dump tool", m.dumpTool());
        field(b, "format", m.format() + ", " + m.compression());
        field(b, "size", Sizes.bytes(m.sizeBytes()) + " (" + m.sizeBytes() + " bytes)");
        field(b, "sha256", m.sha256());
        field(b, "created", time(m.createdAt()) + " (" + age(m.createdAt()) + ")");
        field(b, "took", Sizes.millis(m.durationMillis()));
        if (m.label() != null) {
            field(b, "label", m.label());
        }
        if (!m.tags().isEmpty()) {
            field(b, "tags", tags(m.tags()));
        }
        if (m.set() != null) {
            field(b, "set", m.set().name() + " (run " + m.set().run() + ")");
        }
        field(b, "written by", "lifeboat " + m.toolVersion());
        if (!m.tables().isEmpty()) {
            b.append("tables (rows: ").append(m.rowCounts()).append(")\n");
            Table t = new Table("  TABLE", "ROWS");
            for (TableSummary s : m.tables()) {
                t.row("  " + s.qualifiedName(), s.rows() < 0 ? "?" : s.rows());
            }
            b.append(t.render()).append('\n');
        }
        return b.toString().stripTrailing();
    }

    public static String report(VerificationReport r) {
        StringBuilder b = new StringBuilder();
        b.append(r.passed() ? "PASSED" : "FAILED")
                .append("  ")
                .append(r.backupId())
                .append(" (")
                .append(r.level().id())
                .append(", store ")
                .append(r.store())
                .append(", ")
                .append(Sizes.millis(r.durationMillis()))
                .append(")\n");
        Table t = new Table("  CHECK", "RESULT", "EXPECTED", "ACTUAL", "DETAIL");
        for (VerificationReport.Check c : r.checks()) {
            t.row("  " + c.name(), c.passed() ? "ok" : "FAILED", c.expected(), c.actual(), c.detail());
        }
        b.append(t.render());
        if (r.drill() != null) {
            b.append('\n').append(drill(r.drill()));
        }
        return b.toString();
    }

    /** A restore drill's evidence, as shown after its verification report. */
    static String drill(DrillRecord d) {
        // a directory drill extracts into a scratch directory (an absolute path) and counts entries
        boolean directory = d.scratchDatabase() != null && d.scratchDatabase().startsWith("/");
        StringBuilder b = new StringBuilder("restore drill ").append(d.result());
        b.append(directory ? " (scratch directory " : " (scratch database ").append(d.scratchDatabase());
        b.append(d.scratchDropped() ? (directory ? ", removed" : ", dropped") : ", NOT removed")
                .append(d.whole() ? "" : "; only " + String.join(", ", d.selection()))
                .append(d.freshServer() == null ? "" : "; fresh server, owners kept")
                .append(")\n");
        if (d.freshServer() != null && !d.freshServer().rolesCreated().isEmpty()) {
            b.append("  roles created there: ")
                    .append(String.join(", ", d.freshServer().rolesCreated()))
                    .append(d.freshServer().rolesDropped() ? " (dropped again)" : " (NOT dropped)")
                    .append('\n');
        }
        Table t = directory
                ? new Table("  COUNT", "EXPECTED", "RESTORED", "RESULT")
                : new Table("  TABLE", "EXPECTED ROWS", "RESTORED ROWS", "RESULT");
        for (DrillRecord.TableResult r : d.tables()) {
            t.row("  " + r.table(), r.expectedRows(), r.restoredRows(), r.passed() ? "ok" : "FAILED");
        }
        b.append(t.render());
        for (String m : d.mismatches()) {
            b.append("\n  mismatch: ").append(m);
        }
        if (d.error() != null) {
            b.append("\n  error: ").append(d.error());
        }
        return b.toString();
    }

    public static String drills(List<DrillRecord> drills) {
        if (drills.isEmpty()) {
            return "no restore drills";
        }
        Table t = new Table("BACKUP", "DATABASE", "STORE", "DRILLED", "RESULT", "TABLES", "TOOK", "BY");
        for (DrillRecord d : drills) {
            t.row(
                    d.backupId(),
                    d.database(),
                    d.store(),
                    time(d.startedAt()),
                    d.result(),
                    d.tables().size(),
                    Sizes.millis(d.durationMillis()),
                    d.performedBy());
        }
        return t.render();
    }

    public static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String age(Instant t) {
        if (t == null) {
            return "unknown age";
        }
        Duration d = Duration.between(t, Instant.now());
        if (d.isNegative()) {
            return "in the future";
        }
        if (d.toMinutes() < 1) {
            return "just now";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min ago";
        }
        if (d.toDays() < 2) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " days ago";
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String server(ServerInfo s) {
        return s == null ? "-" : s.user() + "@" + s.host() + ":" + s.port() + "/" + s.dbname();
    }

    static String tags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    static void field(StringBuilder b, String name, String value) {
        b.append("  ").append(String.format("%-11s", name)).append(value).append('\n');
    }
}
