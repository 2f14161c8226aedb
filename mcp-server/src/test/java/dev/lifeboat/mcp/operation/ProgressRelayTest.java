package dev.lifeboat.mcp.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProgressRelayTest {
    @Test
    void aSilentStageStillSendsAHeartbeatThatIncreases() throws Exception {
        List<MonotonicProgress.Report> sent = new CopyOnWriteArrayList<>();
        try (ProgressRelay relay = new ProgressRelay(sent::add, Duration.ofMillis(10), Duration.ofMillis(100))) {
            relay.report(10, 100, "verifying");
            Thread.sleep(1_000); // the work reports nothing: pg_restore, a drill's comparison
        }
        assertThat(sent.size()).as("one report, then heartbeats: " + sent).isBetween(5, 12);
        MonotonicProgressTest.assertStrictlyIncreasing(sent);
        assertThat(sent).allSatisfy(r -> assertThat(r.message()).isEqualTo("verifying"));
    }

    @Test
    void reportsAreRateLimitedButAStageReachingItsTotalIsSent() {
        List<MonotonicProgress.Report> sent = new CopyOnWriteArrayList<>();
        try (ProgressRelay relay = new ProgressRelay(sent::add, Duration.ofHours(1), Duration.ofHours(1))) {
            for (int i = 0; i <= 10_000; i++) {
                relay.report(i, 10_000, "reading");
            }
        }
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).complete()).isTrue();
    }

    @Test
    void nothingIsSentAfterClose() throws Exception {
        List<MonotonicProgress.Report> sent = new CopyOnWriteArrayList<>();
        ProgressRelay relay = new ProgressRelay(sent::add, Duration.ZERO, Duration.ofMillis(20));
        relay.report(1, -1, "dumping");
        relay.close();
        int before = sent.size();
        relay.report(2, -1, "dumping");
        Thread.sleep(200);
        assertThat(sent).hasSize(before);
    }
}
