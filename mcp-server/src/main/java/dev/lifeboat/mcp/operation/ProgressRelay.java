package dev.lifeboat.mcp.operation;

import dev.lifeboat.core.base.Progress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The core's progress as a client should see it: strictly increasing ({@link MonotonicProgress}), at most
 * one report per {@code minInterval} (a 10 GB dump would otherwise send a million), and at least one per
 * {@code heartbeat} even when the work reports nothing: pg_restore and a drill's table comparison run for
 * minutes without a byte count, and a host that resets its request timeout on progress (the TypeScript
 * SDK's {@code resetTimeoutOnProgress}) must still hear that the call is alive.
 *
 * <p>Reports go to {@code sink}, which must not throw (a client that went away must not fail the work).
 * Close the relay when the request it serves is answered: its progress token is then spent.
 */
public final class ProgressRelay implements Progress, AutoCloseable {
    /** The default spacing of reports: four a second at most. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(250);
    /** The default longest silence: well inside the 10 s a host may allow between notifications. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /** One daemon thread for every relay's heartbeat; a check is a clock read and, rarely, one send. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lifeboat-progress-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private final Consumer<MonotonicProgress.Report> sink;
    private final MonotonicProgress track = new MonotonicProgress();
    private final long minIntervalNanos;
    private final long heartbeatNanos;
    private final ScheduledFuture<?> beat;
    private long lastSent; // guarded by this
    private boolean closed; // guarded by this

    public ProgressRelay(Consumer<MonotonicProgress.Report> sink) {
        this(sink, MIN_INTERVAL, HEARTBEAT);
    }

    public ProgressRelay(Consumer<MonotonicProgress.Report> sink, Duration minInterval, Duration heartbeat) {
        this.sink = sink;
        this.minIntervalNanos = minInterval.toNanos();
        this.heartbeatNanos = heartbeat.toNanos();
        this.lastSent = System.nanoTime() - minIntervalNanos;
        long period = Math.max(1, heartbeatNanos / 5);
        this.beat = TIMER.scheduleAtFixedRate(this::beatIfQuiet, period, period, TimeUnit.NANOSECONDS);
    }

    // sends happen under the lock so that reports reach the sink in the order of their values and none
    // after close(): a report that overtook a larger one would go backwards, one after the answer would
    // use a spent progress token

    @Override
    public synchronized void report(long done, long total, String message) {
        if (closed) {
            return;
        }
        MonotonicProgress.Report r = track.next(done, total, message);
        long now = System.nanoTime();
        if (!r.complete() && now - lastSent < minIntervalNanos) {
            return; // kept in the track: the next report or heartbeat carries it
        }
        lastSent = now;
        send(r);
    }

    private synchronized void beatIfQuiet() {
        long now = System.nanoTime();
        if (closed || now - lastSent < heartbeatNanos) {
            return;
        }
        lastSent = now;
        send(track.heartbeat());
    }

    private void send(MonotonicProgress.Report r) {
        try {
            sink.accept(r);
        } catch (RuntimeException e) {
            // the sink should not throw; if it does, the work goes on and the next report tries again
        }
    }

    /** No report is sent after this returns. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        beat.cancel(false);
    }

    /** What was last reported, for tests and views; null before the first report. */
    public MonotonicProgress.Report latest() {
        return track.latest();
    }
}
