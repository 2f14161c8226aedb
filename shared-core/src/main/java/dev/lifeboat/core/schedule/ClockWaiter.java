package dev.lifeboat.core.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The real {@link Scheduler.Waiter}: sleeps until the instant, at most {@link Scheduler#MAX_SLEEP} at
 * a time (the loop reads the clock again, so a suspended laptop or a stepped clock is caught up), and
 * wakes at once when a run ends or the scheduler is told to stop.
 */
public final class ClockWaiter implements Scheduler.Waiter {
    private final Clock clock;
    private boolean woken;

    public ClockWaiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void awaitUntil(Instant until) {
        long millis = Math.min(Duration.between(clock.instant(), until).toMillis(), Scheduler.MAX_SLEEP.toMillis());
        try {
            if (!woken && millis > 0) {
                wait(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            woken = false;
        }
    }

    @Override
    public synchronized void wake() {
        woken = true;
        notifyAll();
    }
}
