package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.testing.ConfigBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The schedule commands that need no database: list, export, and their refusals. */
class ScheduleCommandsTest {
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path home;

    private CliRun.Result run(String... args) {
        return CliRun.run(Map.of("HOME", home.toString()), args);
    }

    private Path config(String schedules) {
        return ConfigBuilder.in(home)
                .database("app", db -> db.host("db.example").user("backup").passwordEnv("APP_DB_PASSWORD"))
                .store("local", home.resolve("store"))
                .stateDir(home.resolve("state"))
                .raw(schedules)
                .write();
    }

    private static final String NIGHTLY = """
            schedules:
              nightly: {cron: "15 2 * * *", time_zone: Europe/Berlin, database: app, verify: archive, prune: true,
                        randomized_delay: 10m}
            """;

    @Test
    void listShowsEachScheduleWithItsNextAndLastRun() {
        Path config = config(NIGHTLY);
        CliRun.Result text = run("schedule", "list", "--config", config.toString());
        assertThat(text.exitCode()).as(text.all()).isZero();
        assertThat(text.out())
                .contains("SCHEDULE", "NEXT RUN", "LAST RUN", "nightly", "15 2 * * *", "Europe/Berlin", "database app")
                .contains("verify archive, prune", "never (in store local)");
        CliRun.Result json = run("schedule", "list", "--json", "--config", config.toString());
        JsonNode s = Json.mapper().readTree(json.out()).get("schedules").get(0);
        assertThat(s.get("name").asString()).isEqualTo("nightly");
        assertThat(s.get("time_zone").asString()).isEqualTo("Europe/Berlin");
        assertThat(s.get("next_run").asString()).endsWith("Z");
        assertThat(s.get("marker_store").asString()).isEqualTo("local");
        assertThat(s.has("last_run")).isFalse();
    }

    @Test
    void exportSystemdWritesATimerAndServicePerScheduleThatSystemdAccepts() throws Exception {
        Path config = config(NIGHTLY);
        Path launcher = home.resolve("bin/lifeboat");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path units = home.resolve("units");
        CliRun.Result r = run(
                "schedule",
                "export",
                "--systemd",
                units.toString(),
                "--command",
                launcher.toString(),
                "--config",
                config.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out())
                .contains("wrote ", "systemctl daemon-reload && systemctl enable --now lifeboat-nightly.timer");
        String timer = Files.readString(units.resolve("lifeboat-nightly.timer"));
        String service = Files.readString(units.resolve("lifeboat-nightly.service"));
        assertThat(timer)
                .contains("Persistent=true", "RandomizedDelaySec=600", "OnCalendar=*-*-* 02:15:00 Europe/Berlin");
        assertThat(service).contains("ExecStart=" + launcher + " schedule run-once nightly --config " + config);

        assumeTrue(
                Files.isExecutable(SYSTEMD_ANALYZE),
                "systemd-analyze not found at " + SYSTEMD_ANALYZE + ": exported units not verified (install systemd)");
        Process p = new ProcessBuilder(
                        SYSTEMD_ANALYZE.toString(),
                        "verify",
                        units.resolve("lifeboat-nightly.timer").toString(),
                        units.resolve("lifeboat-nightly.service").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output)
                .as("systemd-analyze verify says nothing about good units")
                .isEmpty();
    }

    @Test
    void exportKubernetesPrintsACronJobPerSchedule() {
        Path config = config(NIGHTLY);
        CliRun.Result r =
                run("schedule", "export", "--kubernetes", "--image", "lifeboat:0.1.0", "--config", config.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                new YAMLMapper().readerFor(JsonNode.class).readValues(r.out())) {
            it.forEachRemaining(docs::add);
        }
        assertThat(docs).hasSize(1);
        JsonNode job = docs.get(0);
        assertThat(job.at("/kind").asString()).isEqualTo("CronJob");
        assertThat(job.at("/spec/concurrencyPolicy").asString()).isEqualTo("Forbid");
        assertThat(job.at("/spec/timeZone").asString()).isEqualTo("Europe/Berlin");
        assertThat(job.at("/spec/jobTemplate/spec/template/spec/containers/0/env/0/name")
                        .asString())
                .isEqualTo("APP_DB_PASSWORD");
        CliRun.Result json = run("schedule", "export", "--kubernetes", "--json", "--config", config.toString());
        JsonNode doc = Json.mapper().readTree(json.out());
        assertThat(doc.get("format").asString()).isEqualTo("kubernetes");
        assertThat(doc.get("yaml").asString()).contains("kind: CronJob");
    }

    @Test
    void exportNeedsATargetAndAnAbsoluteCommand() throws IOException {
        Path config = config(NIGHTLY);
        CliRun.Result none = run("schedule", "export", "--config", config.toString());
        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("--systemd", "--kubernetes");
        CliRun.Result relative = run(
                "schedule",
                "export",
                "--systemd",
                home.resolve("u").toString(),
                "--command",
                "lifeboat",
                "--config",
                config.toString());
        assertThat(relative.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(relative.err()).contains("is not an absolute path");
    }

    @Test
    void withoutSchedulesRunAndExportSayWhereToAddThem() {
        Path config = config("");
        for (String[] args : new String[][] {{"schedule", "run"}, {"schedule", "export", "--kubernetes"}}) {
            String[] all = java.util.stream.Stream.concat(
                            java.util.Arrays.stream(args), java.util.stream.Stream.of("--config", config.toString()))
                    .toArray(String[]::new);
            CliRun.Result r = run(all);
            assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(r.err()).contains("no schedules in", "hint: add a 'schedules:' section");
        }
        CliRun.Result unknown = run(
                "schedule", "run-once", "weekly", "--config", config(NIGHTLY).toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("no schedule 'weekly'", "configured schedules: nightly");
    }

    @Test
    void configCheckShowsTheSchedulesWithoutReadingAStore() {
        Path config = config(NIGHTLY);
        CliRun.Result text = run("config", "check", "--config", config.toString());
        assertThat(text.exitCode()).as(text.all()).isZero();
        assertThat(text.out()).contains("schedules", "nightly", "15 2 * * *", "Europe/Berlin", "verify archive, prune");
        JsonNode s = Json.mapper()
                .readTree(run("config", "check", "--json", "--config", config.toString())
                        .out())
                .get("schedules")
                .get(0);
        assertThat(s.get("backs_up").asString()).isEqualTo("database app");
        assertThat(s.get("systemd").get(0).asString()).isEqualTo("*-*-* 02:15:00 Europe/Berlin");
        assertThat(Json.mapper()
                        .readTree(run(
                                        "config",
                                        "check",
                                        "--json",
                                        "--config",
                                        config("").toString())
                                .out())
                        .has("schedules"))
                .isFalse();
    }

    @Test
    void aBadScheduleIsAConfigErrorNamingTheSetting() {
        Path config = config("schedules:\n  nightly: {cron: '15 2 * *', database: app}\n");
        CliRun.Result r = run("config", "check", "--config", config.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG_INVALID);
        assertThat(r.err())
                .contains("schedules.nightly.cron: '15 2 * *' is not a cron expression: it has 4 fields")
                .contains("schedules.nightly.time_zone: required");
    }

    @Test
    void scheduleAloneNamesItsSubcommands() {
        CliRun.Result r = run("schedule");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("list", "run", "run-once", "export");
    }
}
