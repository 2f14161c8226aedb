package dev.lifeboat.mcp.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonotonicProgressTest {
    @Test
    void aSecondStageThatRestartsAtZeroContinuesWhereTheFirstEnded() {
        MonotonicProgress track = new MonotonicProgress();
        List<MonotonicProgress.Report> reports = new ArrayList<>();
        // verify at level restore: hash 1000 bytes, then compare 4 tables (the core restarts at 0)
        reports.add(track.next(0, 1000, "verifying"));
        reports.add(track.next(600, 1000, "verifying"));
        reports.add(track.next(1000, 1000, "verifying"));
        reports.add(track.next(0, 4, "comparing tables"));
        reports.add(track.next(2, 4, "comparing tables"));
        reports.add(track.next(4, 4, "comparing tables"));
        assertStrictlyIncreasing(reports);
        assertThat(reports.get(2).complete())
                .as("the hash stage ended at its total")
                .isTrue();
        assertThat(reports.get(4).progress()).isEqualTo(1002);
        assertThat(reports.get(4).total()).isEqualTo(1004);
        assertThat(reports.get(4).message()).isEqualTo("comparing tables");
    }

    @Test
    void heartbeatsAndRepeatedCountsStillIncreaseAndNeverClaimTheTotalIsPassed() {
        MonotonicProgress track = new MonotonicProgress();
        List<MonotonicProgress.Report> reports = new ArrayList<>();
        reports.add(track.heartbeat()); // before anything was reported
        reports.add(track.next(500, 500, "restoring into app_copy")); // the core says 100% before pg_restore
        for (int i = 0; i < 1000; i++) {
            reports.add(track.heartbeat()); // pg_restore runs silently
        }
        reports.add(track.next(500, 500, "restoring into app_copy"));
        assertStrictlyIncreasing(reports);
        for (MonotonicProgress.Report r : reports.subList(2, reports.size())) {
            assertThat(r.total())
                    .as("past the total: no total rather than more than 100%")
                    .isNull();
            assertThat(r.message()).isEqualTo("restoring into app_copy");
        }
        assertThat(reports.get(reports.size() - 1).progress()).isLessThan(502);
    }

    @Test
    void anUnknownTotalIsLeftOutAndAHugeCountStillIncreases() {
        MonotonicProgress track = new MonotonicProgress();
        MonotonicProgress.Report a = track.next(1L << 53, -1, "dumping app");
        MonotonicProgress.Report b = track.heartbeat();
        assertThat(a.total()).isNull();
        assertThat(b.progress()).isGreaterThan(a.progress());
        assertThat(track.latest()).isEqualTo(b);
    }

    static void assertStrictlyIncreasing(List<MonotonicProgress.Report> reports) {
        for (int i = 1; i < reports.size(); i++) {
            assertThat(reports.get(i).progress())
                    .as("report " + i + " of " + reports)
                    .isGreaterThan(reports.get(i - 1).progress());
        }
    }
}
