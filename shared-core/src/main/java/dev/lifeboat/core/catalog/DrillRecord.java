package dev.lifeboat.core.catalog;

import dev.lifeboat.core.engine.ServerInfo;
import java.time.Instant;
import java.util.List;

/**
 * Evidence of one restore drill, stored beside the backup as {@code drills/<time>.json}: which backup
 * (by id and checksum) was restored where, by whom and when, what was compared, and the verdict. It
 * is what an auditor asks for under "tested backups" (ISO 27001 A.8.13).
 *
 * @param formatVersion the record format
 * @param backupId the backup drilled
 * @param database the configured database it belongs to
 * @param store the store it was read from
 * @param sha256 the checksum verified before the restore
 * @param sizeBytes the archive size
 * @param backupCreatedAt when the backup was taken
 * @param startedAt when the drill started
 * @param finishedAt when it finished
 * @param durationMillis how long it took
 * @param performedBy who ran it (the caller's subject)
 * @param transport through which front end
 * @param lifeboatVersion the Lifeboat version
 * @param sourceServer where the backup came from
 * @param drillServer where the scratch database lived
 * @param scratchDatabase the scratch database's name (dropped afterwards)
 * @param scratchDropped whether it was dropped
 * @param rowCountSource "manifest (exact)" or "archive": what restored row counts were compared with
 * @param tables each table compared
 * @param mismatches every difference found, in words
 * @param result "PASS" or "FAIL"
 * @param error why the drill could not complete, or null
 * @param selection the tables a selective drill restored and compared (schema-qualified); empty for a
 *     drill of the whole backup
 * @param freshServer for a drill on a fresh server ({@code --fresh-server}): the roles it had to
 *     create there; null for a drill that gave everything to its login on the usual server
 */
public record DrillRecord(
        int formatVersion,
        String backupId,
        String database,
        String store,
        String sha256,
        long sizeBytes,
        Instant backupCreatedAt,
        Instant startedAt,
        Instant finishedAt,
        long durationMillis,
        String performedBy,
        String transport,
        String lifeboatVersion,
        ServerInfo sourceServer,
        ServerInfo drillServer,
        String scratchDatabase,
        boolean scratchDropped,
        String rowCountSource,
        List<TableResult> tables,
        List<String> mismatches,
        String result,
        String error,
        List<String> selection,
        FreshServer freshServer) {

    public DrillRecord {
        // drill records written before selective drills have no selection: they drilled everything
        selection = selection == null ? List.of() : List.copyOf(selection);
    }

    /**
     * What a drill on a fresh server did about roles: the backup restored with its owners kept, as it
     * would be after losing the host.
     *
     * @param rolesCreated the roles it created there from those kept with the backup (none when all existed)
     * @param rolesDropped whether those were dropped again afterwards
     */
    public record FreshServer(List<String> rolesCreated, boolean rolesDropped) {
        public FreshServer {
            rolesCreated = List.copyOf(rolesCreated);
        }
    }

    /** Whether the drill restored the whole backup, not only some tables of it. */
    public boolean whole() {
        return selection.isEmpty();
    }

    public boolean passed() {
        return "PASS".equals(result);
    }

    /**
     * One table in a drill.
     *
     * @param table schema-qualified name
     * @param expectedRows the rows the backup should hold (manifest exact count, or the archive's data)
     * @param restoredRows the rows found in the scratch database
     * @param archiveDigest the digest of the archive's rows
     * @param restoredDigest the digest of the restored rows
     * @param passed whether counts and digests agree
     */
    public record TableResult(
            String table,
            long expectedRows,
            long restoredRows,
            String archiveDigest,
            String restoredDigest,
            boolean passed) {}
}
