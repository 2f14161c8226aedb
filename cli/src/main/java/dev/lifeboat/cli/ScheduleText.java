package dev.lifeboat.cli;

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
        StringBuilder b = new StringBuilder();
        if (s.verify() != null) {
            b.append("verify ").append(s.verify());
        }
        if (!s.copyTo().isEmpty()) {
            b.append(b.length() > 0 ? ", " : "").append("copy to ").append(String.join("+", s.copyTo()));
        }
        if (s.prune()) {
            b.append(b.length() > 0 ? ", " : "").append("prune");
        }
        return b.length() == 0 ? "-" : b.toString();
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
