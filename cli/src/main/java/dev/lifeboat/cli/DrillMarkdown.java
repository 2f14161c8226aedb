package dev.lifeboat.cli;

import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.engine.ServerInfo;

/** A restore drill's evidence as a Markdown document, for an auditor or a ticket. */
public final class DrillMarkdown {
    private DrillMarkdown() {}

    public static String render(DrillRecord d) {
        // a directory drill extracts into a scratch directory: it has no server
        boolean directory = d.drillServer() == null && d.sourceServer() == null;
        StringBuilder b = new StringBuilder();
        b.append("# Restore drill: ").append(d.result()).append("\n\n");
        b.append("| | |\n|---|---|\n");
        row(b, "Backup", "`" + d.backupId() + "` (database `" + d.database() + "`, store `" + d.store() + "`)");
        row(b, "Backup taken", String.valueOf(d.backupCreatedAt()));
        row(
                b,
                "Backup SHA-256",
                "`" + d.sha256() + "` (" + Sizes.bytes(d.sizeBytes()) + "), verified before the restore");
        row(b, "Drill run", d.startedAt() + " to " + d.finishedAt() + " (" + d.durationMillis() + " ms)");
        row(b, "Performed by", d.performedBy() + " via " + d.transport() + ", Lifeboat " + d.lifeboatVersion());
        if (directory) {
            row(
                    b,
                    "Scratch directory",
                    "`" + d.scratchDatabase() + "`, " + (d.scratchDropped() ? "removed afterwards" : "NOT removed"));
            row(b, "Counts compared with", d.rowCountSource());
        } else {
            row(b, "Source server", server(d.sourceServer()));
            row(b, "Drill server", server(d.drillServer()));
            row(
                    b,
                    "Scratch database",
                    "`" + d.scratchDatabase() + "`, " + (d.scratchDropped() ? "dropped afterwards" : "NOT dropped"));
            row(b, "Row counts compared with", d.rowCountSource());
            if (d.freshServer() != null) {
                row(
                        b,
                        "Fresh server",
                        "owners kept; roles created there: "
                                + (d.freshServer().rolesCreated().isEmpty()
                                        ? "none (all existed)"
                                        : String.join(", ", d.freshServer().rolesCreated())
                                                + (d.freshServer().rolesDropped()
                                                        ? ", dropped afterwards"
                                                        : ", NOT dropped")));
            }
        }
        if (d.error() != null) {
            row(b, "Error", d.error());
        }
        b.append(
                directory
                        ? "\n## Contents\n\n| Entries | Expected | Restored | Content digest | Result |\n|---|---:|---:|---|---|\n"
                        : "\n## Tables\n\n| Table | Expected rows | Restored rows | Content digest | Result |\n|---|---:|---:|---|---|\n");
        for (DrillRecord.TableResult t : d.tables()) {
            b.append("| `")
                    .append(t.table().replace("|", "\\|"))
                    .append("` | ")
                    .append(t.expectedRows())
                    .append(" | ")
                    .append(t.restoredRows())
                    .append(" | ")
                    .append(digest(t))
                    .append(" | ")
                    .append(t.passed() ? "pass" : "FAIL")
                    .append(" |\n");
        }
        if (!d.mismatches().isEmpty()) {
            b.append("\n## Mismatches\n\n");
            d.mismatches().forEach(m -> b.append("- ").append(m).append('\n'));
        }
        return b.toString();
    }

    private static String digest(DrillRecord.TableResult t) {
        if (t.archiveDigest() == null && t.restoredDigest() == null) {
            return "not compared";
        }
        return t.archiveDigest() != null && t.archiveDigest().equals(t.restoredDigest()) ? "equal" : "DIFFERS";
    }

    private static String server(ServerInfo s) {
        return s == null ? "-" : s.host() + ":" + s.port() + " (PostgreSQL " + s.version() + ")";
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }
}
