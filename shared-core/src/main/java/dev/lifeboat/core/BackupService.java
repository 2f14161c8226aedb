package dev.lifeboat.core;

import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.verify.VerificationReport;
import dev.lifeboat.core.verify.VerifyLevel;
import java.util.List;
import java.util.Map;

/**
 * The use cases of Lifeboat. Every front end (CLI, MCP server) calls this and nothing below it.
 * Methods throw {@link LifeboatException} for expected failures; a failed verification is a report.
 */
public final class BackupService implements AutoCloseable {

    /** The service with the real adapters for {@code config}; {@code env} supplies password variables. */
    public static BackupService open(LifeboatConfig config, Map<String, String> env) {
        throw new UnsupportedOperationException("in progress");
    }

    @Override
    public void close() {}

    /** What is configured, without secrets. */
    public Inventory inventory() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Backs up a configured database into a store; returns the committed backup. */
    public BackupRecord create(CreateBackupRequest request, OperationContext context) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Committed backups, newest first. Reads manifests only: works while the database is down. */
    public List<BackupRecord> list(ListBackupsQuery query) {
        throw new UnsupportedOperationException("in progress");
    }

    /** One backup's manifest; NOT_FOUND if no store holds it. */
    public BackupRecord get(String backupId, String store) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Verifies a backup at the given level; integrity failures are reported, not thrown. */
    public VerificationReport verify(String backupId, String store, VerifyLevel level, OperationContext context) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * Works out what a restore would do. A destructive plan (CLEAN over an existing database) comes
     * with a single-use confirmation token bound to this exact plan.
     */
    public RestorePlan planRestore(RestoreRequest request) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * Restores. A destructive restore needs the token from {@link #planRestore} (CONFIRMATION_REQUIRED
     * without one, TOKEN_REJECTED for a bad one). The stored bytes are verified before pg_restore
     * touches the target.
     */
    public RestoreResult restore(RestoreRequest request, OperationContext context) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Works out what a delete would remove; always comes with a confirmation token. */
    public DeletePlan planDelete(String backupId, String store) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Deletes a backup (manifest first, then data); needs the token from {@link #planDelete}. */
    public BackupRecord delete(String backupId, String store, String confirmToken, OperationContext context) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Records an operator's approval of a plan (approval mode 'operator'); returns the approved plan's summary. */
    public String approve(String planId, String approver) {
        throw new UnsupportedOperationException("in progress");
    }
}
