package dev.lifeboat.core.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void nextFireTimeIsInTheExpressionsOwnTimeZone() {
        CronExpression daily = CronExpression.parse("15 2 * * *", BERLIN);
        // 2026-12-06 is winter: Berlin is UTC+1, so 02:15 there is 01:15Z
        assertThat(daily.nextAfter(Instant.parse("2026-12-06T00:00:00Z")))
                .contains(Instant.parse("2026-12-06T01:15:00Z"));
        assertThat(CronExpression.parse("15 2 * * *", ZoneOffset.UTC).nextAfter(Instant.parse("2026-12-06T00:00:00Z")))
                .contains(Instant.parse("2026-12-06T02:15:00Z"));
    }

    @Test
    void nextIsStrictlyAfterAndLatestIsAtOrBefore() {
        CronExpression hourly = CronExpression.parse("0 * * * *", ZoneOffset.UTC);
        Instant slot = Instant.parse("2026-12-06T03:00:00Z");
        assertThat(hourly.nextAfter(slot)).contains(Instant.parse("2026-12-06T04:00:00Z"));
        assertThat(hourly.latestAtOrBefore(slot)).contains(slot);
        assertThat(hourly.latestAtOrBefore(slot.plusSeconds(59))).contains(slot);
        assertThat(hourly.latestAtOrBefore(slot.minusSeconds(1))).contains(Instant.parse("2026-12-06T02:00:00Z"));
    }

    @Test
    void nicknamesAreTheFiveFieldsTheyStandFor() {
        assertThat(CronExpression.parse("@daily", ZoneOffset.UTC).fields()).isEqualTo("0 0 * * *");
        assertThat(CronExpression.parse("@hourly", ZoneOffset.UTC).nextAfter(Instant.parse("2026-12-06T03:10:00Z")))
                .contains(Instant.parse("2026-12-06T04:00:00Z"));
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> CronExpression.parse("61 2 * * *", ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronExpression.parse("0 15 2 * * *", ZoneOffset.UTC))
                .hasMessageContaining("6 fields")
                .hasMessageContaining("minute hour day-of-month month day-of-week");
        assertThatThrownBy(() -> CronExpression.parse("@sometimes", ZoneOffset.UTC))
                .hasMessageContaining("@daily");
        assertThatThrownBy(() -> CronExpression.parse(" ", ZoneOffset.UTC)).hasMessageContaining("empty");
    }

    @Test
    void aTimeTheSpringForwardSkipsDoesNotFireThatNight() {
        // 2026-03-29: Berlin jumps from 02:00 CET to 03:00 CEST, so 02:30 does not exist that night;
        // cron-utils skips it (Vixie cron would run it after the gap): docs/deploy.md says to avoid the hour
        CronExpression daily = CronExpression.parse("30 2 * * *", BERLIN);
        Instant first = daily.nextAfter(Instant.parse("2026-03-28T12:00:00Z")).orElseThrow();
        assertThat(first).isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));
    }

    @Test
    void aTimeTheFallBackRepeatsFiresOnce() {
        // 2026-10-25: Berlin goes from 03:00 CEST back to 02:00 CET, so 02:30 happens twice
        CronExpression daily = CronExpression.parse("30 2 * * *", BERLIN);
        Instant first = daily.nextAfter(Instant.parse("2026-10-24T12:00:00Z")).orElseThrow();
        Instant second = daily.nextAfter(first).orElseThrow();
        assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(second).isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void systemdCalendarsSpellEveryField() {
        assertThat(CronExpression.parse("15 2 * * *", BERLIN).systemdCalendars())
                .containsExactly("*-*-* 02:15:00 Europe/Berlin");
        assertThat(CronExpression.parse("*/20 1-3 * jan,jul mon-fri", ZoneId.of("UTC"))
                        .systemdCalendars())
                .containsExactly("Mon,Tue,Wed,Thu,Fri *-01,07-* 01,02,03:00,20,40:00 UTC");
        // cron fires when either day matches; systemd says that as two events
        assertThat(CronExpression.parse("0 4 1 * 0", ZoneId.of("UTC")).systemdCalendars())
                .containsExactly("*-*-01 04:00:00 UTC", "Sun *-*-* 04:00:00 UTC");
        assertThat(CronExpression.parse("0 4 * * 7", ZoneId.of("UTC")).systemdCalendars())
                .containsExactly("Sun *-*-* 04:00:00 UTC");
    }
}
