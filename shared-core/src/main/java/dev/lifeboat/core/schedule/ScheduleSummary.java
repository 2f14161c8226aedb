package dev.lifeboat.core.schedule;

import java.time.Instant;
import java.util.List;

/**
 * One configured schedule as {@code lifeboat schedule list} shows it.
 *
 * @param name the schedule's name
 * @param cron the expression as written
 * @param timeZone its IANA time zone
 * @param kind {@code database}, {@code directory} or {@code set}
 * @param source what it backs up
 * @param store where its backups go, or null for each source's own store
 * @param markerStore the store holding its run markers
 * @param verify the verification level after each backup, or null
 * @param copyTo the stores each backup is copied to
 * @param prune whether retention runs after a clean run
 * @param nextRun its next fire time after now, or null when it never fires again
 * @param lastRun its newest run in the marker store, or null when it never ran there
 * @param lastRunError why the last run could not be read (the store is down), or null
 */
public record ScheduleSummary(
        String name,
        String cron,
        String timeZone,
        String kind,
        String source,
        String store,
        String markerStore,
        String verify,
        List<String> copyTo,
        boolean prune,
        Instant nextRun,
        LastRun lastRun,
        String lastRunError) {

    /**
     * The newest run of a schedule.
     *
     * @param slot the slot it belongs to
     * @param worker who took it ({@code host:pid})
     * @param status {@code ok}, {@code failed} or {@code skipped}; {@code running} while it has no
     *     outcome (or its worker died before it ended)
     * @param finishedAt when it ended, or null
     * @param backupIds what it committed
     */
    public record LastRun(Instant slot, String worker, String status, Instant finishedAt, List<String> backupIds) {}
}
