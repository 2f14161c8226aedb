package dev.lifeboat.core.verify;

import dev.lifeboat.core.catalog.DrillRecord;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of a verification: every check with what was expected and what was found. A failed
 * verification is a report, not an exception.
 *
 * @param backupId the backup verified
 * @param store the store it was read from
 * @param level how far it went
 * @param passed whether every check passed
 * @param checks each check in the order it ran
 * @param startedAt when it started
 * @param durationMillis how long it took
 * @param drill the restore drill's evidence (level restore), or null
 */
public record VerificationReport(
        String backupId,
        String store,
        VerifyLevel level,
        boolean passed,
        List<Check> checks,
        Instant startedAt,
        long durationMillis,
        DrillRecord drill) {

    public VerificationReport {
        checks = List.copyOf(checks);
    }

    /**
     * One check.
     *
     * @param name e.g. "size", "sha256", "archive-magic", "archive-toc"
     * @param passed whether it passed
     * @param expected what the manifest says
     * @param actual what was found
     * @param detail more words, or null
     */
    public record Check(String name, boolean passed, String expected, String actual, String detail) {}
}
