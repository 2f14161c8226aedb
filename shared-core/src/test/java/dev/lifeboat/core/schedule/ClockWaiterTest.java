package dev.lifeboat.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real waiter: returns at the instant, or at once when woken (a run ended, a stop was asked for). */
class ClockWaiterTest {
    private final Clock clock = Clock.systemUTC();

    @Test
    void aWakeEndsTheWaitAtOnce() throws Exception {
        ClockWaiter waiter = new ClockWaiter(clock);
        long start = System.nanoTime();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(
                () -> waiter.awaitUntil(clock.instant().plus(Duration.ofSeconds(30))));
        Thread.sleep(50);
        waiter.wake();
        waiting.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aWakeBeforeTheWaitIsNotLost() {
        ClockWaiter waiter = new ClockWaiter(clock);
        waiter.wake();
        long start = System.nanoTime();
        waiter.awaitUntil(clock.instant().plus(Duration.ofSeconds(30)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aTimeThatHasPassedDoesNotWait() {
        long start = System.nanoTime();
        new ClockWaiter(clock).awaitUntil(Instant.EPOCH);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
}
