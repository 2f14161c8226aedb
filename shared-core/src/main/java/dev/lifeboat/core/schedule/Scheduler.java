package dev.lifeboat.core.schedule;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.ScheduleConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The foreground scheduler ({@code lifeboat schedule run}): wakes at the next fire time of any
 * schedule, starts every slot that is due, and goes back to sleep.
 *
 * <p>What "due" means is one computation, {@link #tick}, over an injected {@link Clock}, so tests move
 * the clock instead of sleeping on minute boundaries:
 *
 * <ul>
 *   <li>a schedule is due when its latest fire time at or before now is later than the last slot it
 *       ran (its run markers say which, so a restarted process, or another host, knows);
 *   <li>at start-up, a due slot is one that passed while nothing was running: it runs once, however
 *       many were missed, and the event says so; a schedule that never ran runs its latest slot, as
 *       anacron does;
 *   <li>runs of one schedule never overlap: a slot that comes while the previous run still goes runs
 *       when it ends (once, however many came), and is said to be late;
 *   <li>different schedules run side by side, each on the executor.
 * </ul>
 *
 * <p>Stopping: the caller's {@link CancelSignal} (SIGTERM or Ctrl-C in the CLI) ends the loop, and,
 * because every run's operation carries the same signal, cancels a running backup the way Ctrl-C
 * cancels {@code backup create} (pg_dump killed, the partial upload removed, the audit line closed);
 * the cancelled slot's claim is given back, so it runs at the next start.
 */
public final class Scheduler {
    /** The longest single sleep of {@link ClockWaiter}: the clock is read again at least this often (suspend, NTP steps). */
    static final Duration MAX_SLEEP = Duration.ofMinutes(1);

    /**
     * An executor for the runs, side by side: daemon threads named lifeboat-schedule-N, so a run never
     * keeps the JVM alive once its face has stopped. The caller shuts it down.
     */
    public static ExecutorService runThreads() {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lifeboat-schedule-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs one slot; {@link RunSchedule#run} with the scheduler's operation. */
    @FunctionalInterface
    public interface Runner {
        SlotResult run(String schedule, Instant slot);
    }

    /** The last slot a schedule ran, from its run markers; empty when it never ran. */
    @FunctionalInterface
    public interface LastRuns {
        Optional<Instant> lastSlot(String schedule);
    }

    /** How the loop waits: until {@code until}, or less, or until {@link #wake}. */
    public interface Waiter {
        void awaitUntil(Instant until);

        void wake();
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Runner runner;
    private final LastRuns lastRuns;
    private final Clock clock;
    private final Executor executor;
    private final Consumer<ScheduleEvent> events;
    private boolean started;
    private Waiter waiter;

    public Scheduler(
            List<ScheduleConfig> schedules,
            Runner runner,
            LastRuns lastRuns,
            Clock clock,
            Executor executor,
            Consumer<ScheduleEvent> events) {
        schedules.forEach(s -> entries.put(s.name(), new Entry(s)));
        this.runner = runner;
        this.lastRuns = lastRuns;
        this.clock = clock;
        this.executor = executor;
        this.events = events;
    }

    /** What the scheduler knows of one schedule. */
    private static final class Entry {
        final ScheduleConfig schedule;
        /** The last slot run (or taken) by anyone, or null: never. */
        Instant last;

        boolean running;
        /** A slot came while this one's previous run was still going. */
        boolean overran;

        Entry(ScheduleConfig schedule) {
            this.schedule = schedule;
        }
    }

    /**
     * Runs until {@code stop} is cancelled: reads each schedule's last run, runs what is due, then
     * sleeps until the next fire time and runs what is due then, and so on. Returns once stopping was
     * asked for and the runs it started have ended (cancelled through the same signal).
     */
    public void run(CancelSignal stop, Waiter sleep) {
        synchronized (this) {
            this.waiter = sleep;
        }
        CancelSignal.Registration wakeOnStop = stop.onCancel(sleep::wake);
        try {
            while (!stop.isCancelled()) {
                Instant wake = tick();
                if (stop.isCancelled()) {
                    break;
                }
                sleep.awaitUntil(wake);
            }
            say(
                    ScheduleEvent.Type.STOPPING,
                    null,
                    null,
                    "stopping: no new run starts; a running one is cancelled",
                    null);
            awaitIdle();
            say(ScheduleEvent.Type.STOPPED, null, null, "stopped", null);
        } finally {
            wakeOnStop.close();
        }
    }

    /**
     * Starts every slot that is due now and answers when the next one falls due. The first call
     * reads each schedule's last run and says what it found.
     */
    public synchronized Instant tick() {
        Instant now = clock.instant();
        boolean startUp = !started;
        if (startUp) {
            started = true;
            for (Entry e : entries.values()) {
                startUp(e, now);
            }
        }
        for (Entry e : entries.values()) {
            Optional<Instant> latest = e.schedule.cron().latestAtOrBefore(now);
            if (latest.isEmpty() || (e.last != null && !latest.get().isAfter(e.last))) {
                continue;
            }
            if (e.running) {
                if (!e.overran) {
                    e.overran = true;
                    say(
                            ScheduleEvent.Type.OVERLAP,
                            e.schedule.name(),
                            latest.get(),
                            "the slot of " + latest.get() + " came while the previous run still goes: it runs when"
                                    + " that one ends",
                            null);
                }
                continue;
            }
            start(e, latest.get(), why(e, latest.get(), startUp));
        }
        return nextWake(now);
    }

    private void startUp(Entry e, Instant now) {
        ScheduleConfig s = e.schedule;
        String lastText;
        try {
            e.last = lastRuns.lastSlot(s.name()).orElse(null);
            lastText = e.last == null ? "never ran" : "last ran the slot of " + e.last;
        } catch (LifeboatException ex) {
            // without the last run a missed slot cannot be told from a done one: wait for the next
            e.last = s.cron().latestAtOrBefore(now).orElse(null);
            lastText = "its last run could not be read (" + ex.code() + ": " + ex.getMessage()
                    + "); a slot missed while down is not caught up";
        }
        String next = s.cron().nextAfter(now).map(Instant::toString).orElse("never");
        say(
                ScheduleEvent.Type.WATCHING,
                s.name(),
                null,
                s.name() + " (" + s.cron() + ", " + s.kind().key() + " " + s.source() + "): " + lastText + "; next "
                        + next,
                null);
    }

    private String why(Entry e, Instant slot, boolean startUp) {
        if (startUp) {
            if (e.last == null) {
                return "no run recorded: running the latest slot, " + slot + ", now";
            }
            return "missed while down: " + missedCount(e.schedule, e.last, slot) + " since the last run (slot " + e.last
                    + "); running the latest, " + slot + ", once now";
        }
        if (e.overran) {
            return "late: the slot of " + slot + " came while the previous run still went";
        }
        return "on time";
    }

    /** How many slots fell after {@code last} up to {@code latest}, counted up to 1000. */
    private static String missedCount(ScheduleConfig s, Instant last, Instant latest) {
        int n = 0;
        Optional<Instant> t = s.cron().nextAfter(last);
        while (t.isPresent() && !t.get().isAfter(latest) && n < 1000) {
            n++;
            t = s.cron().nextAfter(t.get());
        }
        return (n >= 1000 ? "1000 or more slots" : n == 1 ? "1 slot" : n + " slots");
    }

    private void start(Entry e, Instant slot, String why) {
        e.running = true;
        e.overran = false;
        e.last = slot;
        String name = e.schedule.name();
        say(ScheduleEvent.Type.STARTED, name, slot, name + ": " + why, null);
        Runnable job = () -> {
            try {
                SlotResult r = runner.run(name, slot);
                say(ScheduleEvent.Type.FINISHED, name, slot, describe(r), r);
            } catch (LifeboatException ex) {
                say(
                        ScheduleEvent.Type.FAILED,
                        name,
                        slot,
                        name + ": "
                                + (ex.code() == ErrorCode.CANCELLED
                                        ? "cancelled; the slot runs again at the next start"
                                        : ex.code() + ": " + ex.getMessage()),
                        null);
            } catch (RuntimeException ex) {
                say(ScheduleEvent.Type.FAILED, name, slot, name + ": INTERNAL: " + ex, null);
            } finally {
                finished(e);
            }
        };
        executor.execute(job);
    }

    private void finished(Entry e) {
        Waiter w;
        synchronized (this) {
            e.running = false;
            notifyAll();
            w = waiter;
        }
        if (w != null) {
            // a slot that came meanwhile is due now
            w.wake();
        }
    }

    private static String describe(SlotResult r) {
        String head =
                r.schedule() + ": slot " + r.slot() + " " + r.status().name().toLowerCase(java.util.Locale.ROOT);
        List<String> parts = new ArrayList<>();
        for (SlotResult.Step s : r.steps()) {
            parts.add(s.action() + " " + s.subject() + ": " + (s.ok() ? "" : s.errorCode() + " ") + s.message());
        }
        return parts.isEmpty() ? head : head + " (" + String.join("; ", parts) + ")";
    }

    private Instant nextWake(Instant now) {
        Instant wake = null;
        for (Entry e : entries.values()) {
            Optional<Instant> next = e.schedule.cron().nextAfter(now);
            if (next.isPresent() && (wake == null || next.get().isBefore(wake))) {
                wake = next.get();
            }
        }
        // nothing ever fires again: look again later (the waiter caps every sleep anyway)
        return wake == null ? now.plus(MAX_SLEEP) : wake;
    }

    /** Whether a run of any schedule is going. */
    public synchronized boolean busy() {
        return entries.values().stream().anyMatch(e -> e.running);
    }

    private void awaitIdle() {
        synchronized (this) {
            while (busy()) {
                try {
                    wait(1000);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void say(ScheduleEvent.Type type, String schedule, Instant slot, String message, SlotResult result) {
        events.accept(new ScheduleEvent(type, schedule, slot, clock.instant(), message, result));
    }
}
