package dev.lifeboat.core.audit;

/**
 * What checking the audit log's hash chain found.
 *
 * @param file the log that was checked
 * @param lines the lines read (up to and including the first broken one)
 * @param legacyLines lines at the start without a chain (written before the chain existed), accepted
 * @param firstBroken the number (from 1) of the first line that breaks the chain, or 0
 * @param problem what is wrong, or null when the chain holds
 * @param head the chain value of the last good line, or null: noted elsewhere, it shows later whether
 *     lines were removed from the end, which the log alone cannot
 */
public record AuditReport(String file, long lines, long legacyLines, long firstBroken, String problem, String head) {
    public boolean intact() {
        return firstBroken == 0 && problem == null;
    }
}
