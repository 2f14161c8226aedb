package dev.lifeboat.core.schedule;

import dev.lifeboat.core.config.ScheduleConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule as a systemd {@code .service} + {@code .timer} pair ({@code lifeboat schedule export
 * --systemd DIR}). The timer fires at the schedule's cron times in its time zone, {@code
 * Persistent=true} (a time missed while the machine was off fires at boot), spread by the schedule's
 * {@code randomized_delay}; the service runs {@code lifeboat schedule run-once NAME}, which takes the
 * slot's run marker, so the catch-up run, a second host with the same timer, or a manual start never
 * runs one slot twice.
 *
 * @param command the absolute path of the {@code lifeboat} launcher the service runs
 * @param config the configuration file the service reads (absolute), or null for the launcher's default
 * @param user the user the service runs as, or null for root (systemd's default)
 * @param environmentFile a file of {@code NAME=value} lines (passwords named by {@code password_env}),
 *     or null
 */
public record SystemdUnits(Path command, Path config, String user, Path environmentFile) {

    /** {@code lifeboat-NAME}: the units' name without the suffix. */
    public static String unitName(ScheduleConfig s) {
        return "lifeboat-" + s.name();
    }

    /** The two files of one schedule, by file name, in the order to write them. */
    public Map<String, String> render(ScheduleConfig s) {
        Map<String, String> files = new LinkedHashMap<>();
        String what = s.kind().key() + " " + s.source();
        StringBuilder service = new StringBuilder()
                .append("# Written by lifeboat schedule export --systemd; runs one slot of schedule '")
                .append(s.name())
                .append("'.\n")
                .append("[Unit]\n")
                .append("Description=Lifeboat schedule ")
                .append(s.name())
                .append(": back up ")
                .append(what)
                .append('\n')
                .append("Wants=network-online.target\n")
                .append("After=network-online.target\n\n")
                .append("[Service]\n")
                .append("Type=oneshot\n")
                .append("ExecStart=")
                .append(exec(s))
                .append('\n');
        if (user != null) {
            service.append("User=").append(user).append('\n');
        }
        if (environmentFile != null) {
            service.append("EnvironmentFile=").append(environmentFile).append('\n');
        }
        // the JVM exits 143 on SIGTERM after cancelling the run cleanly: a stop, not a failure
        service.append("SuccessExitStatus=143\n")
                .append("TimeoutStopSec=60s\n")
                .append("NoNewPrivileges=true\n")
                .append("PrivateTmp=true\n");
        files.put(unitName(s) + ".service", service.toString());

        StringBuilder timer = new StringBuilder()
                .append("# Written by lifeboat schedule export --systemd: cron '")
                .append(s.cron().text())
                .append("' in ")
                .append(s.cron().zone().getId())
                .append(".\n")
                .append("[Unit]\n")
                .append("Description=Lifeboat schedule ")
                .append(s.name())
                .append(" (")
                .append(s.cron().text())
                .append(", ")
                .append(s.cron().zone().getId())
                .append(")\n\n")
                .append("[Timer]\n");
        for (String calendar : s.cron().systemdCalendars()) {
            timer.append("OnCalendar=").append(calendar).append('\n');
        }
        timer.append("Persistent=true\n")
                .append("RandomizedDelaySec=")
                .append(s.randomizedDelay().toSeconds())
                .append('\n')
                .append("AccuracySec=1s\n")
                .append("Unit=")
                .append(unitName(s))
                .append(".service\n\n")
                .append("[Install]\n")
                .append("WantedBy=timers.target\n");
        files.put(unitName(s) + ".timer", timer.toString());
        return files;
    }

    private String exec(ScheduleConfig s) {
        List<String> words = new java.util.ArrayList<>(List.of(command.toString(), "schedule", "run-once", s.name()));
        if (config != null) {
            words.add("--config");
            words.add(config.toString());
        }
        return String.join(" ", words.stream().map(SystemdUnits::quote).toList());
    }

    /** A word of ExecStart=, quoted when it holds a space, a quote or a '%' (systemd's specifier). */
    private static String quote(String word) {
        String w = word.replace("%", "%%");
        if (w.matches("[A-Za-z0-9_@./:+=,-]+")) {
            return w;
        }
        return "\"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
