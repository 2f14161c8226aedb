package dev.lifeboat.core.manage;

import java.time.Instant;

/**
 * Which backups to list, newest first.
 *
 * @param database only this configured database, or null for all
 * @param store only this store, or null for every configured store
 * @param since only backups created at or after this time, or null
 * @param limit at most this many, or 0 for no limit
 */
public record ListBackupsQuery(String database, String store, Instant since, int limit) {
    public static ListBackupsQuery all() {
        return new ListBackupsQuery(null, null, null, 0);
    }
}
