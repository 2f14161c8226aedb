package dev.lifeboat.core.restore;

import dev.lifeboat.core.confirm.Confirmation;
import dev.lifeboat.core.confirm.Plan;
import java.time.Instant;
import java.util.List;

/**
 * What undoing the last replacing restore of a database would do.
 *
 * @param database the configured database
 * @param server host:port
 * @param targetDbname the database that is put back
 * @param previous what comes back: the kept copy of a replace (a database name), or the safety
 *     backup of a clean restore (a backup id)
 * @param keptAt when it was put aside (taken)
 * @param expiresAt when undo stops offering it
 * @param currentKeptAs the name the current database is kept under, so the undo can itself be undone
 * @param sessions the sessions connected to the target now, which the swap ends
 * @param copies every kept copy of this database, newest first, with expired ones
 * @param confirmation the token bound to this plan
 * @param summary the plan in plain words
 */
public record UndoPlan(
        String database,
        String server,
        String targetDbname,
        String previous,
        Instant keptAt,
        Instant expiresAt,
        String currentKeptAs,
        List<String> sessions,
        List<PreviousCopy> copies,
        Confirmation confirmation,
        String summary)
        implements Plan {}
