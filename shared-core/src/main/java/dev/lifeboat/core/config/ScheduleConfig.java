package dev.lifeboat.core.config;

import dev.lifeboat.core.cron.CronExpression;
import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code schedules:}: when to back up what, and what to do with each new backup.
 *
 * @param name the configured name (in run markers, logs, unit and CronJob names)
 * @param cron when it fires, in its explicit time zone
 * @param kind what {@code source} names
 * @param source a configured database, directory or set
 * @param store where the backups go, or null for each source's own store
 * @param verify "checksum", "archive" or "restore" to verify each new backup at that level, or null
 * @param copyTo stores each new backup is copied to, in order (empty: none)
 * @param prune whether retention is applied to each backed-up source after the run
 * @param randomizedDelay how far an exported systemd timer may spread its start (zero: not at all)
 * @param lease how long a slot's claim lives without a heartbeat before another worker may take it
 *     over (its holder died); {@link #DEFAULT_LEASE} unless set
 */
public record ScheduleConfig(
        String name,
        CronExpression cron,
        Kind kind,
        String source,
        String store,
        String verify,
        List<String> copyTo,
        boolean prune,
        Duration randomizedDelay,
        Duration lease) {

    /** Ten minutes: ten missed heartbeats, so a slow store or a long pause is not taken for a death. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);

    public ScheduleConfig {
        copyTo = copyTo == null ? List.of() : List.copyOf(copyTo);
        randomizedDelay = randomizedDelay == null ? Duration.ZERO : randomizedDelay;
        lease = lease == null ? DEFAULT_LEASE : lease;
    }

    /** What a schedule backs up. */
    public enum Kind {
        DATABASE,
        DIRECTORY,
        SET;

        /** The setting that names it: {@code database}, {@code directory} or {@code set}. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
