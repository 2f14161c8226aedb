package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HeldTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void aTokenIsTakenOnceAndNeverAfterItsPlanExpired() {
        HeldTokens held = new HeldTokens(Clock.fixed(NOW, ZoneOffset.UTC));
        held.put("p1", "lbc1.p1.x.y", NOW.plus(Duration.ofMinutes(15)));
        held.put("p2", "lbc1.p2.x.y", NOW.minusSeconds(1));
        assertThat(held.take("p1")).isEqualTo("lbc1.p1.x.y");
        assertThat(held.take("p1")).as("taken already").isNull();
        assertThat(held.take("p2")).as("expired").isNull();
        assertThat(held.take("never-put")).isNull();
    }

    @Test
    void expiredTokensAreForgottenWhenANewOneIsHeld() {
        HeldTokens held = new HeldTokens(Clock.fixed(NOW, ZoneOffset.UTC));
        held.put("old", "t-old", NOW.minusSeconds(5));
        held.put("new", "t-new", NOW.plusSeconds(60));
        assertThat(held.size()).isEqualTo(1);
    }
}
