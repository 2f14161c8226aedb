package dev.lifeboat.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.ScheduleConfig;
import dev.lifeboat.core.testing.ServiceOverFakes.ManualClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** What is due when, over a clock the test moves: no sleeping on minute boundaries, no store, no database. */
class SchedulerTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:30:00Z"));
    private final List<String> ran = new ArrayList<>();
    private final List<ScheduleEvent> events = new ArrayList<>();
    private final Map<String, Instant> markers = new HashMap<>();

    private static ScheduleConfig schedule(String name, String cron) {
        return SampleSchedule.ofApp(name, cron, UTC, null);
    }

    private Scheduler scheduler(Executor executor, ScheduleConfig... schedules) {
        return new Scheduler(
                List.of(schedules),
                (name, slot) -> {
                    ran.add(name + "@" + slot);
                    markers.put(name, slot);
                    return new SlotResult(
                            name,
                            slot,
                            SlotResult.Status.OK,
                            "test:1",
                            clock.instant(),
                            clock.instant(),
                            List.of(),
                            List.of());
                },
                name -> Optional.ofNullable(markers.get(name)),
                clock,
                executor,
                events::add);
    }

    private List<String> said(ScheduleEvent.Type type) {
        return events.stream()
                .filter(e -> e.type() == type)
                .map(ScheduleEvent::message)
                .toList();
    }

    @Test
    void aSlotRunsWhenTheClockReachesItAndNotBefore() {
        markers.put("hourly", Instant.parse("2026-12-06T10:00:00Z"));
        Scheduler s = scheduler(Runnable::run, schedule("hourly", "0 * * * *"));
        assertThat(s.tick()).isEqualTo(Instant.parse("2026-12-06T11:00:00Z"));
        assertThat(ran).isEmpty();
        clock.set(Instant.parse("2026-12-06T10:59:59Z"));
        s.tick();
        assertThat(ran).isEmpty();
        clock.set(Instant.parse("2026-12-06T11:00:00Z"));
        assertThat(s.tick()).isEqualTo(Instant.parse("2026-12-06T12:00:00Z"));
        assertThat(ran).containsExactly("hourly@2026-12-06T11:00:00Z");
        assertThat(said(ScheduleEvent.Type.STARTED)).containsExactly("hourly: on time");
        // ticking again in the same minute does not run it twice
        clock.set(Instant.parse("2026-12-06T11:00:30Z"));
        s.tick();
        assertThat(ran).hasSize(1);
    }

    @Test
    void missedRunIsRunOnceAtStartUp() {
        // last ran at 07:00; down through 08:00, 09:00 and 10:00
        markers.put("hourly", Instant.parse("2026-12-06T07:00:00Z"));
        Scheduler s = scheduler(Runnable::run, schedule("hourly", "0 * * * *"));
        s.tick();
        assertThat(ran).containsExactly("hourly@2026-12-06T10:00:00Z");
        assertThat(said(ScheduleEvent.Type.STARTED))
                .singleElement()
                .asString()
                .contains("missed while down: 3 slots since the last run (slot 2026-12-06T07:00:00Z)")
                .contains("running the latest, 2026-12-06T10:00:00Z, once now");
        s.tick();
        assertThat(ran).hasSize(1);
    }

    @Test
    void aScheduleThatNeverRanRunsItsLatestSlotAtStartUpAndOneThatRanItIsLeftAlone() {
        markers.put("done", Instant.parse("2026-12-06T02:15:00Z"));
        Scheduler s = scheduler(Runnable::run, schedule("fresh", "15 2 * * *"), schedule("done", "15 2 * * *"));
        s.tick();
        assertThat(ran).containsExactly("fresh@2026-12-06T02:15:00Z");
        assertThat(said(ScheduleEvent.Type.STARTED)).singleElement().asString().contains("no run recorded");
        assertThat(said(ScheduleEvent.Type.WATCHING))
                .anySatisfy(
                        m -> assertThat(m)
                                .contains(
                                        "done (15 2 * * * (UTC), database app): last ran the slot of 2026-12-06T02:15:00Z; next 2026-12-07T02:15:00Z"));
    }

    @Test
    void runsOfOneScheduleNeverOverlapAndASlotThatCameMeanwhileRunsOnceWhenItEnds() {
        markers.put("quarter", Instant.parse("2026-12-06T10:30:00Z"));
        List<Runnable> held = new ArrayList<>();
        Scheduler s = scheduler(held::add, schedule("quarter", "*/15 * * * *"));
        s.tick();
        clock.set(Instant.parse("2026-12-06T10:45:00Z"));
        s.tick();
        assertThat(held).hasSize(1);
        assertThat(s.busy()).isTrue();
        // 11:00 and 11:15 come while the 10:45 run still goes: nothing new starts
        clock.set(Instant.parse("2026-12-06T11:00:00Z"));
        s.tick();
        clock.set(Instant.parse("2026-12-06T11:15:00Z"));
        s.tick();
        assertThat(held).hasSize(1);
        assertThat(said(ScheduleEvent.Type.OVERLAP)).hasSize(1);
        held.remove(0).run();
        assertThat(s.busy()).isFalse();
        clock.set(Instant.parse("2026-12-06T11:20:00Z"));
        s.tick();
        assertThat(held).hasSize(1);
        held.remove(0).run();
        assertThat(ran).containsExactly("quarter@2026-12-06T10:45:00Z", "quarter@2026-12-06T11:15:00Z");
        assertThat(said(ScheduleEvent.Type.STARTED).get(1)).contains("late: the slot of 2026-12-06T11:15:00Z");
    }

    @Test
    void differentSchedulesRunSideBySide() {
        markers.put("a", Instant.parse("2026-12-06T10:30:00Z"));
        markers.put("b", Instant.parse("2026-12-06T10:30:00Z"));
        List<Runnable> held = new ArrayList<>();
        Scheduler s = scheduler(held::add, schedule("a", "45 * * * *"), schedule("b", "45 10 * * *"));
        clock.set(Instant.parse("2026-12-06T10:45:00Z"));
        s.tick();
        assertThat(held).hasSize(2);
    }

    @Test
    void aStoreThatCannotBeReadAtStartUpMeansNoCatchUpButTheNextSlotRuns() {
        Scheduler s = new Scheduler(
                List.of(schedule("hourly", "0 * * * *")),
                (name, slot) -> {
                    ran.add(name + "@" + slot);
                    return null;
                },
                name -> {
                    throw new LifeboatException(ErrorCode.STORE_UNAVAILABLE, "store 'main' is down", null);
                },
                clock,
                Runnable::run,
                events::add);
        s.tick();
        assertThat(ran).isEmpty();
        assertThat(said(ScheduleEvent.Type.WATCHING))
                .singleElement()
                .asString()
                .contains("could not be read (STORE_UNAVAILABLE: store 'main' is down)");
        clock.set(Instant.parse("2026-12-06T11:00:00Z"));
        s.tick();
        assertThat(ran).containsExactly("hourly@2026-12-06T11:00:00Z");
    }

    @Test
    void theLoopSleepsUntilEachSlotAndStopsWhenCancelled() {
        markers.put("hourly", Instant.parse("2026-12-06T10:00:00Z"));
        Scheduler s = scheduler(Runnable::run, schedule("hourly", "0 * * * *"));
        CancelSignal stop = new CancelSignal();
        List<Instant> sleeps = new ArrayList<>();
        s.run(stop, new Scheduler.Waiter() {
            @Override
            public void awaitUntil(Instant until) {
                sleeps.add(until);
                // the test's waiter moves the clock instead of sleeping
                clock.set(until);
                if (sleeps.size() == 3) {
                    stop.cancel();
                }
            }

            @Override
            public void wake() {}
        });
        assertThat(sleeps)
                .containsExactly(
                        Instant.parse("2026-12-06T11:00:00Z"),
                        Instant.parse("2026-12-06T12:00:00Z"),
                        Instant.parse("2026-12-06T13:00:00Z"));
        assertThat(ran).containsExactly("hourly@2026-12-06T11:00:00Z", "hourly@2026-12-06T12:00:00Z");
        assertThat(said(ScheduleEvent.Type.STOPPED)).containsExactly("stopped");
    }

    @Test
    void aCancelledRunIsSaidAndTheSchedulerGoesOn() {
        markers.put("hourly", Instant.parse("2026-12-06T10:00:00Z"));
        Scheduler s = new Scheduler(
                List.of(schedule("hourly", "0 * * * *")),
                (name, slot) -> {
                    throw new LifeboatException(ErrorCode.CANCELLED, "the operation was cancelled", null);
                },
                name -> Optional.ofNullable(markers.get(name)),
                clock,
                Runnable::run,
                events::add);
        clock.set(Instant.parse("2026-12-06T11:00:00Z"));
        s.tick();
        assertThat(said(ScheduleEvent.Type.FAILED))
                .containsExactly("hourly: cancelled; the slot runs again at the next start");
        assertThat(s.busy()).isFalse();
    }
}
