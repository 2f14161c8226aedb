package dev.lifeboat.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lifeboat.core.config.ScheduleConfig;
import dev.lifeboat.core.cron.CronExpression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exported timers are valid systemd units (checked by systemd-analyze where it exists) and fire when cron would. */
class SystemdUnitsTest {
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path dir;

    private static ScheduleConfig schedule(String name, String cron, String zone, Duration delay) {
        return SampleSchedule.ofApp(name, cron, ZoneId.of(zone), delay);
    }

    @Test
    void aScheduleBecomesAPersistentRandomizedTimerAndAServiceRunningItsSlot() {
        Map<String, String> files = new SystemdUnits(
                        Path.of("/usr/local/bin/lifeboat"),
                        Path.of("/etc/lifeboat/lifeboat.yaml"),
                        "lifeboat",
                        Path.of("/etc/lifeboat/env"))
                .render(schedule("nightly", "15 2 * * *", "Europe/Berlin", Duration.ofMinutes(10)));
        assertThat(files).containsOnlyKeys("lifeboat-nightly.service", "lifeboat-nightly.timer");
        assertThat(files.get("lifeboat-nightly.timer"))
                .contains(
                        "OnCalendar=*-*-* 02:15:00 Europe/Berlin\n",
                        "Persistent=true\n",
                        "RandomizedDelaySec=600\n",
                        "Unit=lifeboat-nightly.service\n",
                        "WantedBy=timers.target\n");
        assertThat(files.get("lifeboat-nightly.service"))
                .contains(
                        "Type=oneshot\n",
                        "ExecStart=/usr/local/bin/lifeboat schedule run-once nightly --config /etc/lifeboat/lifeboat.yaml\n",
                        "User=lifeboat\n",
                        "EnvironmentFile=/etc/lifeboat/env\n",
                        "SuccessExitStatus=143\n");
    }

    @Test
    void exportedUnitsPassSystemdAnalyzeVerify() throws Exception {
        assumeTrue(
                Files.isExecutable(SYSTEMD_ANALYZE),
                "systemd-analyze not found at " + SYSTEMD_ANALYZE + ": exported units not verified (install systemd)");
        Path launcher = dir.resolve("bin").resolve("lifeboat");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        SystemdUnits units = new SystemdUnits(launcher, dir.resolve("my config.yaml"), null, null);
        List<String> args = new ArrayList<>(List.of(SYSTEMD_ANALYZE.toString(), "verify"));
        for (ScheduleConfig s : List.of(
                schedule("nightly", "15 2 * * *", "Europe/Berlin", Duration.ofMinutes(10)),
                schedule("weekdays", "*/20 1-3 * jan,jul mon-fri", "UTC", Duration.ZERO),
                schedule("either-day", "0 4 1 * 0", "America/New_York", Duration.ofHours(1)))) {
            for (Map.Entry<String, String> f : units.render(s).entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
                args.add(dir.resolve(f.getKey()).toString());
            }
        }
        Result r = run(args);
        assertThat(r.exit()).as(r.output()).isZero();
        // verify exits 0 even when it ignores a line it cannot parse: it must have said nothing at all
        assertThat(r.output()).isEmpty();
    }

    @Test
    void systemdFiresTheTimerWhenCronWould() throws Exception {
        assumeTrue(
                Files.isExecutable(SYSTEMD_ANALYZE),
                "systemd-analyze not found at " + SYSTEMD_ANALYZE
                        + ": calendar spelling not checked (install systemd)");
        Instant base = Instant.parse("2026-12-06T00:00:00Z");
        for (String[] c : new String[][] {
            {"15 2 * * *", "Europe/Berlin"},
            {"*/20 1-3 * jan,jul mon-fri", "UTC"},
            {"0 4 1 * 0", "America/New_York"},
            {"5 */6 1-7 * *", "Asia/Tokyo"},
            {"@weekly", "UTC"},
        }) {
            CronExpression cron = CronExpression.parse(c[0], ZoneId.of(c[1]));
            List<Instant> expected = new ArrayList<>();
            Instant t = base;
            for (int i = 0; i < 6; i++) {
                t = cron.nextAfter(t).orElseThrow();
                expected.add(t);
            }
            TreeSet<Instant> systemd = new TreeSet<>();
            for (String calendar : cron.systemdCalendars()) {
                systemd.addAll(elapses(calendar, base, 6));
            }
            assertThat(systemd.stream().limit(6).toList())
                    .as(c[0] + " in " + c[1])
                    .isEqualTo(expected);
        }
    }

    @Test
    void aroundDaylightSavingSystemdAndTheSchedulerAgree() throws Exception {
        assumeTrue(
                Files.isExecutable(SYSTEMD_ANALYZE),
                "systemd-analyze not found at " + SYSTEMD_ANALYZE + ": daylight saving not compared (install systemd)");
        // 02:30 Berlin is skipped on 2026-03-29 and happens twice on 2026-10-25: both fire as systemd fires
        CronExpression cron = CronExpression.parse("30 2 * * *", ZoneId.of("Europe/Berlin"));
        for (Instant base : List.of(Instant.parse("2026-03-27T12:00:00Z"), Instant.parse("2026-10-23T12:00:00Z"))) {
            List<Instant> expected = new ArrayList<>();
            Instant t = base;
            for (int i = 0; i < 4; i++) {
                t = cron.nextAfter(t).orElseThrow();
                expected.add(t);
            }
            assertThat(elapses(cron.systemdCalendars().get(0), base, 4))
                    .as("from " + base)
                    .isEqualTo(expected);
        }
    }

    private static final Pattern ELAPSE =
            Pattern.compile("(?:Next elapse|Iter\\. #\\d+): \\w{3} (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) UTC");

    private static List<Instant> elapses(String calendar, Instant base, int n) throws Exception {
        String baseText =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).format(base.atOffset(ZoneOffset.UTC))
                        + " UTC";
        Result r = run(List.of(
                SYSTEMD_ANALYZE.toString(), "calendar", "--iterations=" + n, "--base-time=" + baseText, calendar));
        assertThat(r.exit()).as(calendar + ": " + r.output()).isZero();
        List<Instant> out = new ArrayList<>();
        Matcher m = ELAPSE.matcher(r.output());
        while (m.find()) {
            out.add(LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                    .toInstant(ZoneOffset.UTC));
        }
        assertThat(out).as(r.output()).hasSize(n);
        return out;
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TZ", "UTC");
        pb.environment().put("SYSTEMD_COLORS", "0");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }
}
