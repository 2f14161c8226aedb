package dev.lifeboat.core.config;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulesReaderTest {
    private static final String SOURCES = """
            databases:
              app: {user: u}
              crm: {user: u}
            directories:
              uploads: {path: /srv/uploads}
            sets:
              shop: {members: [app, uploads]}
            stores:
              local: {uri: "file:///var/backups/lifeboat"}
              offsite: {uri: "file:///mnt/offsite"}
            defaults: {store: local}
            """;

    @TempDir
    Path dir;

    private LifeboatConfig load(String schedules) throws IOException {
        Path f = dir.resolve("lifeboat.yaml");
        Files.writeString(f, SOURCES + schedules);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return new ConfigLoader(Map.of("HOME", dir.toString())).load(f);
    }

    private String problems(String schedules) {
        LifeboatException e = refused(ErrorCode.CONFIG_INVALID, () -> load(schedules));
        return e.getMessage();
    }

    @Test
    void aScheduleNamesWhenWhatAndItsFollowUps() throws IOException {
        LifeboatConfig c = load("""
                schedules:
                  nightly:
                    cron: "15 2 * * *"
                    time_zone: Europe/Berlin
                    database: app
                    store: local
                    verify: archive
                    copy_to: offsite
                    prune: true
                    randomized_delay: 10m
                  shop-hourly:
                    cron: "@hourly"
                    time_zone: UTC
                    set: shop
                """);
        assertThat(c.schedules()).containsOnlyKeys("nightly", "shop-hourly");
        ScheduleConfig nightly = c.schedule("nightly");
        assertThat(nightly.cron().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(nightly.cron().nextAfter(Instant.parse("2026-12-06T00:00:00Z")))
                .contains(Instant.parse("2026-12-06T01:15:00Z"));
        assertThat(nightly.kind()).isEqualTo(ScheduleConfig.Kind.DATABASE);
        assertThat(nightly.source()).isEqualTo("app");
        assertThat(nightly.store()).isEqualTo("local");
        assertThat(nightly.verify()).isEqualTo("archive");
        assertThat(nightly.copyTo()).containsExactly("offsite");
        assertThat(nightly.prune()).isTrue();
        assertThat(nightly.randomizedDelay()).isEqualTo(Duration.ofMinutes(10));
        ScheduleConfig shop = c.schedule("shop-hourly");
        assertThat(shop.kind()).isEqualTo(ScheduleConfig.Kind.SET);
        assertThat(shop.store()).isNull();
        assertThat(shop.copyTo()).isEmpty();
        assertThat(shop.prune()).isFalse();
    }

    @Test
    void everyBadSettingIsNamedAtOnce() {
        String message = problems("""
                schedules:
                  nightly:
                    cron: "61 2 * * *"
                    time_zone: Mars/Olympus
                    database: ap
                    store: nowhere
                    verify: deep
                    copy_to: [offsite, offsite]
                    prune: yes please
                    randomized_delay: forever
                    colour: blue
                  twice:
                    cron: "0 3 * * *"
                    time_zone: UTC
                    database: app
                    set: shop
                  none:
                    cron: "0 3 * * * *"
                  Bad Name:
                    cron: "0 3 * * *"
                """);
        assertThat(message)
                .contains(
                        "schedules.nightly.cron: '61 2 * * *' is not a cron expression",
                        "schedules.nightly.time_zone: 'Mars/Olympus' is not a time zone name; use an IANA name",
                        "schedules.nightly.database: 'ap' is not a configured database (configured databases: app, crm)",
                        "schedules.nightly.store: 'nowhere' is not a configured store (configured stores: local, offsite)",
                        "schedules.nightly.verify: 'deep' is not a verification level (checksum, archive or restore)",
                        "schedules.nightly.copy_to: names a store twice",
                        "schedules.nightly.prune: 'yes please' must be true or false",
                        "schedules.nightly.randomized_delay: 'forever' is not a duration up to 12h",
                        "schedules.nightly.colour: unknown setting",
                        "schedules.twice: set only one of 'database', 'directory' and 'set' (found database, set)",
                        "schedules.none.cron: '0 3 * * * *' is not a cron expression: it has 6 fields",
                        "schedules.none.time_zone: required: the IANA time zone",
                        "schedules.none: say what to back up: one of 'database', 'directory' or 'set'",
                        "schedules.Bad Name: invalid schedule name");
    }

    @Test
    void theTimeZoneIsRequiredAndAnOffsetIsNotAZoneName() {
        assertThat(problems("""
                        schedules:
                          nightly: {cron: "0 3 * * *", database: app}
                        """)).contains("schedules.nightly.time_zone: required");
        assertThat(problems("""
                        schedules:
                          nightly: {cron: "0 3 * * *", time_zone: "+01:00", database: app}
                        """)).contains("schedules.nightly.time_zone: '+01:00' is not a time zone name");
    }

    @Test
    void copyingToTheStoreTheBackupIsWrittenToIsRefused() {
        assertThat(problems("""
                        schedules:
                          nightly: {cron: "0 3 * * *", time_zone: UTC, directory: uploads, store: offsite, copy_to: [offsite]}
                        """))
                .contains("schedules.nightly.copy_to: 'offsite' is where the backup is written ('store')");
    }

    @Test
    void aConfigWithoutSchedulesHasNone() throws IOException {
        assertThat(load("").schedules()).isEmpty();
        assertThat(List.copyOf(load("schedules: {}\n").schedules().keySet())).isEmpty();
    }
}
