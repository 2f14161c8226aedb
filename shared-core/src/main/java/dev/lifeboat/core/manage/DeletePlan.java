package dev.lifeboat.core.manage;

import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Plan;
import java.time.Instant;
import java.util.List;

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
 * @param label the backup's label, or null: how a person knows it
 * @param guards why deleting it needs an extra confirmation besides the token (it is the last backup
 *     of its source, or the last one with a passing restore drill); empty when it needs none
 */
public record DeletePlan(
        String backupId,
        String store,
        String database,
        Instant createdAt,
        long sizeBytes,
        Confirmation confirmation,
        String summary,
        String label,
        List<String> guards)
        implements Plan {
    public DeletePlan {
        guards = guards == null ? List.of() : List.copyOf(guards);
    }
}
