package dev.lifeboat.core.manage;

import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Plan;
import java.time.Instant;

/**
 * What a delete would remove.
 *
 * @param backupId the backup
 * @param store the store it is in
 * @param database its configured database
 * @param createdAt when it was taken
 * @param sizeBytes its stored size
 * @param confirmation the token to pass to the delete
 * @param summary the plan in plain words
 */
public record DeletePlan(
        String backupId,
        String store,
        String database,
        Instant createdAt,
        long sizeBytes,
        Confirmation confirmation,
        String summary)
        implements Plan {}
