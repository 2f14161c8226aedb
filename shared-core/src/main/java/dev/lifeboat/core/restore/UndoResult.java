package dev.lifeboat.core.restore;

import java.time.Instant;
import java.util.List;

/**
 * A finished undo.
 *
 * @param database the configured database
 * @param server host:port
 * @param targetDbname the database put back
 * @param restoredFrom the kept copy that is the target again
 * @param currentKeptAs the name the database it replaced is kept under now
 * @param currentExpiresAt when that copy expires
 * @param sessionsEnded the sessions the swap ended
 * @param durationMillis how long it took
 */
public record UndoResult(
        String database,
        String server,
        String targetDbname,
        String restoredFrom,
        String currentKeptAs,
        Instant currentExpiresAt,
        List<String> sessionsEnded,
        long durationMillis) {}
