package dev.lifeboat.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.local.LocalBackupStore;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slot whose worker died ({@code kill -9}) without an outcome: its claim's lease lapses and exactly
 * one of the next workers takes it over; a holder that beats keeps it; a holder that lost it stops.
 */
class SlotLeaseTest {
    private static final OperationContext CALLER = OperationContext.of("schedule", "tester");
    private static final Instant SLOT = Instant.parse("2026-03-02T01:15:00Z");
    private static final String NIGHTLY = "  nightly: {cron: '15 1 * * *', time_zone: UTC, database: app}\n";
    private static final String PREFIX = "_lifeboat/schedules/nightly/20260302T0115Z/";

    @TempDir
    Path dir;

    private ServiceOverFakes fakes() {
        return ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .raw("schedules:\n" + NIGHTLY)
                .build();
    }

    /** What a worker killed with -9 leaves: its claim, with the default lease, and nothing else. */
    private static RunMarkers.Claim deadClaim(BackupStore store, Instant at) {
        RunMarkers.Taken t = new RunMarkers(store)
                .claim(new RunMarkers.Claim("nightly", SLOT, "dead-host:4242", at), Duration.ofMinutes(10), at);
        assertThat(t.won()).isTrue();
        return t.holder();
    }

    @Test
    void aClaimLeftByADeadWorkerIsTakenOverOnceItsLeaseLapses() {
        try (ServiceOverFakes f = fakes()) {
            deadClaim(f.store(), f.clock().instant());
            f.advance(Duration.ofMinutes(9));
            SlotResult early = f.service().runSchedule("nightly", CALLER);
            assertThat(early.status()).isEqualTo(SlotResult.Status.SKIPPED);
            assertThat(early.steps().get(0).message()).contains("was taken by dead-host:4242");

            f.advance(Duration.ofMinutes(2));
            SlotResult r = f.service().runSchedule("nightly", CALLER);
            assertThat(r.status()).isEqualTo(SlotResult.Status.OK);
            assertThat(r.steps().get(0).message())
                    .contains("taken over from dead-host:4242")
                    .contains("600 s lease");
            assertThat(f.engine().dumps()).hasSize(1);
            assertThat(f.store().keys())
                    .contains(PREFIX + "claim.json", PREFIX + "takeover-1.json", PREFIX + "done.json");
            // done: never taken over again, however old
            f.advance(Duration.ofHours(2));
            assertThat(f.service().runSchedule("nightly", CALLER).status()).isEqualTo(SlotResult.Status.SKIPPED);
            assertThat(f.service().schedules().get(0).lastRun().status()).isEqualTo("ok");
        }
    }

    @Test
    void aScheduleSetsItsOwnLeaseWhichItsClaimsCarry() throws Exception {
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .raw("schedules:\n  nightly: {cron: '15 1 * * *', time_zone: UTC, database: app, lease: 2m}\n")
                .build()) {
            f.service().runSchedule("nightly", CALLER);
            try (java.io.InputStream in = f.store().get(PREFIX + "claim.json")) {
                assertThat(dev.lifeboat.core.base.Json.mapper()
                                .readTree(in.readNBytes(4096))
                                .get("lease_seconds")
                                .asLong())
                        .isEqualTo(120);
            }
        }
        assertThat(SlotClaim.Timing.of(Duration.ofMinutes(10)).beat()).isEqualTo(Duration.ofMinutes(1));
        assertThat(SlotClaim.Timing.of(Duration.ofSeconds(30)).beat()).isEqualTo(Duration.ofSeconds(3));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceOverFakes.in(dir.resolve("bad"))
                        .database("app", Map.of("accounts", 3))
                        .raw("schedules:\n  nightly: {cron: '15 1 * * *', time_zone: UTC, database: app, lease: 2s}\n")
                        .build())
                .hasMessageContaining("schedules.nightly.lease: '2s' is not a duration from 10s to 24h");
    }

    @Test
    void aStartingSchedulerTriesASlotLeftWithoutAnOutcomeAndTakesItOverOnceLapsed() {
        try (ServiceOverFakes f = fakes()) {
            deadClaim(f.store(), f.clock().instant());
            f.advance(Duration.ofMinutes(11));
            List<ScheduleEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            f.service().scheduler(CALLER, Runnable::run, events::add).tick();
            assertThat(events)
                    .filteredOn(e -> e.type() == ScheduleEvent.Type.FINISHED)
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.slot()).isEqualTo(SLOT);
                        assertThat(e.result().status()).isEqualTo(SlotResult.Status.OK);
                        assertThat(e.result().steps().get(0).message()).contains("taken over from dead-host:4242");
                    });
        }
    }

    @Test
    void aHolderThatBeatsKeepsItsSlot() {
        try (ServiceOverFakes f = fakes()) {
            RunMarkers markers = new RunMarkers(f.store());
            RunMarkers.Claim mine = deadClaim(f.store(), f.clock().instant());
            for (int i = 0; i < 5; i++) {
                f.advance(Duration.ofMinutes(8));
                markers.beat(mine, f.clock().instant());
            }
            f.advance(Duration.ofMinutes(9));
            assertThat(f.service().runSchedule("nightly", CALLER).status()).isEqualTo(SlotResult.Status.SKIPPED);
            assertThat(f.engine().dumps()).isEmpty();
        }
    }

    @Test
    void aClaimWrittenBeforeLeasesNeverLapses() {
        try (ServiceOverFakes f = fakes()) {
            f.store()
                    .put(
                            PREFIX + "claim.json",
                            new ByteArrayInputStream(("{\"schedule\":\"nightly\",\"slot\":\"" + SLOT
                                            + "\",\"worker\":\"old:1\",\"claimed_at\":\"" + SLOT + "\"}")
                                    .getBytes(StandardCharsets.UTF_8)),
                            true);
            f.advance(Duration.ofDays(3));
            assertThat(new RunSchedule(f.context()).run("nightly", SLOT, CALLER).status())
                    .isEqualTo(SlotResult.Status.SKIPPED);
        }
    }

    @Test
    void racingWorkersTakeALapsedSlotOverExactlyOnceOverTheMemoryStore() throws Exception {
        try (ServiceOverFakes f = fakes()) {
            deadClaim(f.store(), f.clock().instant());
            f.advance(Duration.ofMinutes(11));
            assertThat(SlotRace.race(f, sc -> f.store(sc), SLOT, CALLER)).containsExactlyInAnyOrder(okAndSkipped(8));
            assertThat(f.engine().dumps()).hasSize(1);
        }
    }

    @Test
    void racingWorkersTakeALapsedSlotOverExactlyOnceOverTheLocalStore() throws Exception {
        try (ServiceOverFakes f = fakes();
                LocalBackupStore local = new LocalBackupStore(dir.resolve("local-store"))) {
            deadClaim(local, f.clock().instant());
            f.advance(Duration.ofMinutes(11));
            assertThat(SlotRace.race(f, sc -> local, SLOT, CALLER)).containsExactlyInAnyOrder(okAndSkipped(8));
            assertThat(f.engine().dumps()).hasSize(1);
            assertThat(local.list(PREFIX))
                    .extracting(o -> o.key().substring(PREFIX.length()))
                    .containsExactlyInAnyOrder("claim.json", "takeover-1.json", "done.json");
        }
    }

    @Test
    void aLiveHolderThatLostItsLeaseStopsItsRunAndLeavesTheSlotToTheNewOne() throws Exception {
        try (ServiceOverFakes f = fakes()) {
            RunMarkers markers = new RunMarkers(f.store());
            List<SlotResult.Step> steps = new ArrayList<>();
            SlotClaim slow = SlotClaim.take(
                    markers,
                    new RunMarkers.Claim(
                            "nightly", SLOT, "slow-host:1", f.clock().instant()),
                    new SlotClaim.Timing(Duration.ofMinutes(10), Duration.ofMillis(20)),
                    f.clock().instant(),
                    () -> f.clock().instant().minus(Duration.ofHours(1)), // its beats say nothing new: it seems silent
                    CALLER,
                    steps);
            assertThat(slow).isNotNull();
            f.advance(Duration.ofMinutes(11));
            RunMarkers.Taken other = markers.claim(
                    new RunMarkers.Claim(
                            "nightly", SLOT, "new-host:2", f.clock().instant()),
                    Duration.ofMinutes(10),
                    f.clock().instant());
            assertThat(other.won()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!slow.context().cancel().isCancelled() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(slow.context().cancel().isCancelled()).isTrue();
            assertThat(CALLER.cancel().isCancelled())
                    .as("only the run is cancelled, not its caller")
                    .isFalse();
            assertThat(slow.lostTo().worker()).isEqualTo("new-host:2");
            slow.release();
            // the loser gives nothing back: the new holder's takeover and the first claim stay
            assertThat(f.store().keys()).contains(PREFIX + "claim.json", PREFIX + "takeover-1.json");
        }
    }

    private static SlotResult.Status[] okAndSkipped(int workers) {
        SlotResult.Status[] expected = new SlotResult.Status[workers];
        java.util.Arrays.fill(expected, SlotResult.Status.SKIPPED);
        expected[0] = SlotResult.Status.OK;
        return expected;
    }
}
