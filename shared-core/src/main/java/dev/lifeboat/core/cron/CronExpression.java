package dev.lifeboat.core.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A five-field Unix cron expression ({@code minute hour day-of-month month day-of-week}, as crontab(5)
 * and Kubernetes CronJobs write it) in an explicit time zone. Equal when text and zone are equal.
 *
 * <p>A value class rather than a record because it keeps cron-utils' parsed form, which no caller
 * should see. Fire times are whole minutes. Daylight saving follows cron-utils: a wall-clock time
 * that a spring-forward skips does not fire that night (Vixie cron would run it after the gap), and
 * one that an autumn fall-back repeats fires once (see {@code CronExpressionTest}).
 */
public final class CronExpression {
    private static final CronDefinition UNIX = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
    private static final CronParser PARSER = new CronParser(UNIX);
    /** The nicknames crontab(5) knows, spelt as the five fields they stand for. */
    private static final Map<String, String> NICKNAMES = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private final String text;
    private final String fields;
    private final ZoneId zone;
    private final ExecutionTime times;

    private CronExpression(String text, String fields, ZoneId zone, ExecutionTime times) {
        this.text = text;
        this.fields = fields;
        this.zone = zone;
        this.times = times;
    }

    /**
     * Parses {@code text} (five fields, or one of {@code @hourly @daily @midnight @weekly @monthly
     * @yearly @annually}) for {@code zone}.
     *
     * @throws IllegalArgumentException saying what is wrong with the expression, in words fit for a
     *     config problem
     */
    public static CronExpression parse(String text, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("it is empty");
        }
        String trimmed = text.trim().replaceAll("\\s+", " ");
        String fields = NICKNAMES.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
        if (fields.startsWith("@")) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a nickname cron knows ("
                    + String.join(", ", NICKNAMES.keySet().stream().sorted().toList()) + ")");
        }
        int count = fields.split(" ").length;
        if (count != 5) {
            throw new IllegalArgumentException("it has " + count + " fields; cron has five: minute hour"
                    + " day-of-month month day-of-week (e.g. '15 2 * * *' for 02:15 every day)");
        }
        Cron cron;
        try {
            cron = PARSER.parse(fields).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return new CronExpression(trimmed, fields, zone, ExecutionTime.forCron(cron));
    }

    /** The expression as written (whitespace collapsed). */
    public String text() {
        return text;
    }

    /** The five fields (a nickname spelt out). */
    public String fields() {
        return fields;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first fire time strictly after {@code t}; empty when there is none (e.g. 30 February). */
    public Optional<Instant> nextAfter(Instant t) {
        ZonedDateTime from = t.atZone(zone);
        Optional<ZonedDateTime> next = times.nextExecution(from);
        // guard the library's answer: strictly later, whole minutes
        while (next.isPresent() && !next.get().toInstant().isAfter(t)) {
            next = times.nextExecution(next.get().plusMinutes(1).truncatedTo(ChronoUnit.MINUTES));
        }
        return next.map(ZonedDateTime::toInstant);
    }

    /** The latest fire time at or before {@code t}; empty when there is none. */
    public Optional<Instant> latestAtOrBefore(Instant t) {
        ZonedDateTime minute = t.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        if (times.isMatch(minute)) {
            return Optional.of(minute.toInstant());
        }
        return times.lastExecution(minute).map(ZonedDateTime::toInstant).filter(i -> !i.isAfter(t));
    }

    /**
     * The expression as systemd {@code OnCalendar=} values (man systemd.time), each ending in the time
     * zone; more than one when cron's rule "day of month OR day of week" applies (both restricted),
     * which systemd says as two calendar events.
     */
    public List<String> systemdCalendars() {
        String[] f = fields.split(" ");
        String minute = SystemdFields.values(f[0], 0, 59, Map.of());
        String hour = SystemdFields.values(f[1], 0, 23, Map.of());
        String dom = SystemdFields.values(f[2], 1, 31, Map.of());
        String month = SystemdFields.values(f[3], 1, 12, SystemdFields.MONTHS);
        String dow = SystemdFields.weekdays(f[4]);
        String time = hour + ":" + minute + ":00 " + zone.getId();
        List<String> out = new ArrayList<>();
        boolean anyDom = f[2].equals("*");
        boolean anyDow = f[4].equals("*");
        if (!anyDom && !anyDow) {
            out.add("*-" + month + "-" + dom + " " + time);
            out.add(dow + " *-" + month + "-* " + time);
        } else {
            out.add((anyDow ? "" : dow + " ") + "*-" + month + "-" + dom + " " + time);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression c && c.text.equals(text) && c.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, zone);
    }

    @Override
    public String toString() {
        return text + " (" + zone.getId() + ")";
    }
}
