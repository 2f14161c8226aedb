package dev.lifeboat.core.schedule;

import dev.lifeboat.core.config.ScheduleConfig;
import dev.lifeboat.core.cron.CronExpression;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/** Schedules for tests that need no config file: a backup of the database "app", nothing after it. */
final class SampleSchedule {
    private SampleSchedule() {}

    /** {@code name} backing up "app" at {@code cron} in {@code zone}, started up to {@code randomizedDelay} late (null: none), with the default lease. */
    static ScheduleConfig ofApp(String name, String cron, ZoneId zone, Duration randomizedDelay) {
        return new ScheduleConfig(
                name,
                CronExpression.parse(cron, zone),
                ScheduleConfig.Kind.DATABASE,
                "app",
                null,
                null,
                List.of(),
                false,
                randomizedDelay,
                null);
    }
}
