package dev.lifeboat.core.verify;

import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Version;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.engine.ServerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The evidence of one restore drill as it is gathered, whatever the drill restores into (a scratch
 * database, a scratch directory): when it started, what it compared, what went wrong; then the
 * {@link DrillRecord} kept beside the backup.
 */
final class DrillEvidence {
    private final LifeboatContext ctx;
    private final BackupRecord rec;
    private final OperationContext context;
    private final Instant started;
    private final List<DrillRecord.TableResult> tables = new ArrayList<>();
    private final List<String> mismatches = new ArrayList<>();
    private String error;
    private DrillRecord.FreshServer freshServer;

    /** Starts the evidence of a drill of {@code rec} run by {@code context}'s caller, now. */
    DrillEvidence(LifeboatContext ctx, BackupRecord rec, OperationContext context) {
        this.ctx = ctx;
        this.rec = rec;
        this.context = context;
        this.started = ctx.now();
    }

    /** Records why the drill could not complete, after any reason recorded before. */
    void failed(String why) {
        error = (error == null ? "" : error + "; ") + why;
    }

    /** Records one compared item, and {@code mismatch} (in words) when it does not match. */
    void compared(DrillRecord.TableResult result, String mismatch) {
        if (mismatch != null) {
            mismatches.add(mismatch);
        }
        tables.add(result);
    }

    /** The drill ran on a fresh server: what it did about roles there. */
    void onFreshServer(DrillRecord.FreshServer what) {
        this.freshServer = what;
    }

    List<DrillRecord.TableResult> tables() {
        return tables;
    }

    /**
     * The drill's record, stored beside the backup: PASS when nothing failed, nothing mismatched and
     * {@code complete} (the drill compared everything it had to).
     */
    DrillRecord keep(
            ServerInfo sourceServer,
            ServerInfo drillServer,
            String scratch,
            boolean scratchRemoved,
            String rowCountSource,
            boolean complete,
            List<String> selection) {
        Manifest m = rec.manifest();
        boolean pass = error == null && mismatches.isEmpty() && complete;
        Instant finished = ctx.now();
        DrillRecord record = new DrillRecord(
                1,
                m.id(),
                m.database(),
                rec.store(),
                m.sha256(),
                m.sizeBytes(),
                m.createdAt(),
                started,
                finished,
                Duration.between(started, finished).toMillis(),
                context.subject(),
                context.transport(),
                Version.get(),
                sourceServer,
                drillServer,
                scratch,
                scratchRemoved,
                rowCountSource,
                tables,
                mismatches,
                pass ? "PASS" : "FAIL",
                error,
                selection,
                freshServer);
        ctx.catalog(rec.store()).putDrill(m.backupId(), record);
        return record;
    }
}
