package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class SinceConverterTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final SinceConverter converter = new SinceConverter(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void agesCountBackFromNow() {
        assertThat(converter.convert("90s")).isEqualTo(NOW.minusSeconds(90));
        assertThat(converter.convert("30m")).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
        assertThat(converter.convert("12h")).isEqualTo(NOW.minus(Duration.ofHours(12)));
        assertThat(converter.convert("7d")).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(converter.convert("2w")).isEqualTo(NOW.minus(Duration.ofDays(14)));
        assertThat(converter.convert("7D")).isEqualTo(NOW.minus(Duration.ofDays(7)));
    }

    @Test
    void isoDurationsCountBackFromNow() {
        assertThat(converter.convert("P7D")).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(converter.convert("PT36H")).isEqualTo(NOW.minus(Duration.ofHours(36)));
    }

    @Test
    void timesAndDatesAreTakenAsGiven() {
        assertThat(converter.convert("2026-11-20T07:12:00Z")).isEqualTo(Instant.parse("2026-11-20T07:12:00Z"));
        assertThat(converter.convert("2026-11-20T08:12:00+01:00")).isEqualTo(Instant.parse("2026-11-20T07:12:00Z"));
        assertThat(converter.convert("2026-11-20")).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    }

    @Test
    void nonsenseIsRefusedWithTheAcceptedShapes() {
        for (String bad : new String[] {"", "yesterday", "7", "7y", "-3d", "P-1D", "2026-13-40"}) {
            assertThatThrownBy(() -> converter.convert(bad))
                    .as(bad)
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("7d");
        }
    }
}
