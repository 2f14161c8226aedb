package dev.lifeboat.cli;

import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.schedule.ScheduleEvent;
import dev.lifeboat.core.schedule.ScheduleSummary;
import dev.lifeboat.core.schedule.SlotResult;
import java.util.List;
import java.util.Locale;

/** How the schedule commands read to a person. */
public final class ScheduleText {
    private ScheduleText() {}

    /** {@code lifeboat schedule list}: one row per schedule. */
    public static String list(List<ScheduleSummary> schedules) {
        if (schedules.isEmpty()) {
            return "no schedules configured (add a 'schedules:' section; see docs/deploy.md)";
        }
        Table t = new Table("SCHEDULE", "CRON", "TIME ZONE", "BACKS UP", "THEN", "NEXT RUN", "LAST RUN");
        for (ScheduleSummary s : schedules) {
            t.row(
                    s.name(),
                    s.cron(),
                    s.timeZone(),
                    s.kind() + " " + s.source() + (s.store() == null ? "" : " -> " + s.store()),
                    followUps(s),
                    s.nextRun() == null ? "never" : HumanText.time(s.nextRun()),
                    lastRun(s));
        }
        return t.render();
    }

    private static String followUps(ScheduleSummary s) {
        String f = followUps(s.verify(), s.copyTo(), s.prune());
        return f == null ? "-" : f;
    }

    /** {@code verify archive, copy to offsite, prune}, or null when nothing follows. */
    private static String followUps(String verify, List<String> copyTo, boolean prune) {
        StringBuilder b = new StringBuilder();
        if (verify != null) {
            b.append("verify ").append(verify);
        }
        if (!copyTo.isEmpty()) {
            b.append(b.length() > 0 ? ", " : "").append("copy to ").append(String.join("+", copyTo));
        }
        if (prune) {
            b.append(b.length() > 0 ? ", " : "").append("prune");
        }
        return b.length() == 0 ? null : b.toString();
    }

    private static String lastRun(ScheduleSummary s) {
        if (s.lastRunError() != null) {
            return "unknown (" + s.lastRunError() + ")";
        }
        ScheduleSummary.LastRun r = s.lastRun();
        if (r == null) {
            return "never (in store " + s.markerStore() + ")";
        }
        return "slot " + HumanText.time(r.slot()) + " " + r.status() + (r.worker() == null ? "" : " on " + r.worker());
    }

    /**
     * A schedule as configured, for {@code config check} (which reads no store).
     *
     * @param name the schedule's name
     * @param cron its expression
     * @param timeZone its time zone
     * @param backsUp {@code database app}, {@code set shop}, ...
     * @param then what follows each backup (verify, copy, prune), or null
     * @param systemd its {@code OnCalendar=} values, as exported
     */
    public record Configured(
            String name, String cron, String timeZone, String backsUp, String then, List<String> systemd) {}

    /** Every configured schedule, in configuration order. */
    public static List<Configured> configured(LifeboatConfig config) {
        return config.schedules().values().stream()
                .map(s -> new Configured(
                        s.name(),
                        s.cron().text(),
                        s.cron().zone().getId(),
                        s.kind().key() + " " + s.source() + (s.store() == null ? "" : " -> " + s.store()),
                        followUps(s.verify(), s.copyTo(), s.prune()),
                        s.cron().systemdCalendars()))
                .toList();
    }

    /** {@link #configured} as a table. */
    public static String configuredTable(List<Configured> schedules) {
        Table t = new Table("SCHEDULE", "CRON", "TIME ZONE", "BACKS UP", "THEN");
        schedules.forEach(s -> t.row(s.name(), s.cron(), s.timeZone(), s.backsUp(), s.then()));
        return t.render();
    }

    /** One slot's outcome: a head line, then a line per step. */
    public static String result(SlotResult r) {
        StringBuilder b = new StringBuilder()
                .append(r.schedule())
                .append(": slot ")
                .append(HumanText.time(r.slot()))
                .append(' ')
                .append(r.status().name().toLowerCase(Locale.ROOT));
        for (SlotResult.Step s : r.steps()) {
            b.append("\n  ")
                    .append(s.action())
                    .append(' ')
                    .append(s.subject())
                    .append(": ")
                    .append(s.ok() ? "" : s.errorCode() + ": ")
                    .append(s.message());
        }
        return b.toString();
    }

    /** One line of {@code lifeboat schedule run}'s log. */
    public static String event(ScheduleEvent e) {
        String head = HumanText.time(e.at()) + " " + e.type().name().toLowerCase(Locale.ROOT) + " ";
        if (e.result() != null) {
            return head + result(e.result());
        }
        return head + e.message();
    }
}
