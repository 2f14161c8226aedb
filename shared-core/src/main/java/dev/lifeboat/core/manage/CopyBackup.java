package dev.lifeboat.core.manage;

import dev.lifeboat.core.audit.AuditLog;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.context.LifeboatContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a backup to another store (3-2-1 copies), streaming, with its SHA-256 checked on the way
 * and on arrival; the copy is listed in the target with the same id and checksum, or not at all.
 */
public final class CopyBackup {
    private static final Logger LOG = LoggerFactory.getLogger(CopyBackup.class);

    private final LifeboatContext ctx;

    public CopyBackup(LifeboatContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Copies a backup to another store (3-2-1 copies), streaming, with its SHA-256 checked on the way
     * and on arrival; the copy is listed in the target with the same id and checksum, or not at all.
     *
     * @param from the store to copy from, or null to find the backup in any configured store
     * @param to the configured store to copy to
     */
    public BackupCopier.CopyResult copy(String backupId, String from, String to, OperationContext context) {
        Instant started = ctx.now();
        BackupRecord rec = ctx.get(backupId, from);
        StoreConfig target = ctx.config().store(to);
        if (target.name().equals(rec.store())) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "backup " + backupId + " is already in store '" + to + "'",
                    "name another store to copy to; configured: "
                            + String.join(", ", ctx.config().stores().keySet()));
        }
        Manifest m = rec.manifest();
        AuditLog.Entry base = AuditLog.Entry.start(started, context, "copy")
                .about(m.id(), m.database(), rec.store())
                .target("store:" + target.name())
                .bytes(m.sizeBytes());
        try {
            ctx.audit().write(base.started());
            BackupCopier.CopyResult result = new BackupCopier()
                    .copy(m.backupId(), ctx.store(ctx.config().store(rec.store())), ctx.store(target), context);
            ctx.audit().write(base.ok(result.bytes(), result.alreadyPresent() ? "already present" : null));
            return result;
        } catch (LifeboatException e) {
            throw ctx.failed(base, e, context);
        }
    }
}
