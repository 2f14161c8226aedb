package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.audit.AuditReport;
import picocli.CommandLine.Command;

/** {@code lifeboat audit verify}: the audit log's hash chain, and the first line that breaks it. */
@Command(
        name = "verify",
        description = "Check the audit log's hash chain (state_dir/audit.jsonl) and report the first line that was"
                + " changed, inserted or removed. Exit code 6 when the chain is broken.")
public final class AuditVerifyCommand extends ServiceCommand {
    @Override
    protected int run(BackupService service) {
        AuditReport report = service.verifyAudit();
        out().result(report, text(report));
        return report.intact() ? ExitCodes.OK : ExitCodes.INTEGRITY_FAILED;
    }

    private static String text(AuditReport r) {
        if (r.lines() == 0 && r.problem() == null) {
            return "audit log " + r.file() + ": empty or not written yet\n";
        }
        StringBuilder s = new StringBuilder();
        if (r.intact()) {
            s.append("audit log ")
                    .append(r.file())
                    .append(": intact, ")
                    .append(r.lines())
                    .append(" lines");
            if (r.legacyLines() > 0) {
                s.append(" (the first ").append(r.legacyLines()).append(" from before the chain, sealed by it)");
            }
            s.append('\n');
        } else {
            s.append("audit log ")
                    .append(r.file())
                    .append(": BROKEN: ")
                    .append(r.problem())
                    .append('\n');
        }
        if (r.head() != null) {
            s.append(r.intact() ? "head: " : "last good chain value: ")
                    .append(r.head())
                    .append(" (note it elsewhere: removed lines at the end show only against it)\n");
        }
        return s.toString();
    }
}
