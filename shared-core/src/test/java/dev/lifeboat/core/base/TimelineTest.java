package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimelineTest {
    @Test
    void isOnlyOnWhenTheEnvironmentAsksForIt() {
        assertThat(Timeline.enabled(null)).isFalse();
        assertThat(Timeline.enabled("")).isFalse();
        assertThat(Timeline.enabled("0")).isFalse();
        assertThat(Timeline.enabled("false")).isFalse();
        assertThat(Timeline.enabled("1")).isTrue();
        assertThat(Timeline.enabled("yes")).isTrue();
    }

    @Test
    void countsFromTheLaunchersStartWhenItGaveOne() {
        assertThat(Timeline.zero("1700000000123456789")).isEqualTo(Instant.ofEpochSecond(1700000000L, 123456789));
    }

    @Test
    void countsFromTheProcessStartWhenTheLauncherGaveNoUsableTime() {
        // busybox date prints %N literally
        Instant zero = Timeline.zero("1700000000%N");
        assertThat(zero).isBefore(Instant.now().plusSeconds(1));
        assertThat(zero).isAfter(Instant.now().minus(Duration.ofDays(1)));
        assertThat(Timeline.zero(null)).isEqualTo(zero);
    }

    @Test
    void aMarkWithTheTimelineOffDoesNothing() {
        // the test JVM runs without LIFEBOAT_TIMELINE: a mark must neither print nor fail
        assertThat(Timeline.on()).isFalse();
        Timeline.mark("nothing");
    }
}
