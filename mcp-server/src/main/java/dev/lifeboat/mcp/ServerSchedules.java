package dev.lifeboat.mcp;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.schedule.ClockWaiter;
import dev.lifeboat.core.schedule.ScheduleEvent;
import dev.lifeboat.core.schedule.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of {@code lifeboat schedule run}, inside the HTTP server ({@code mcp serve --transport
 * http --schedules}): the same loop over the same configuration, on a thread of its own, its events
 * logged on stderr. Stopping it is what stopping {@code schedule run} does: no new run starts, a
 * running backup is cancelled cleanly and its slot given back; {@link #close} waits for that, then the
 * server stops.
 */
final class ServerSchedules implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.lifeboat.mcp.schedule");
    /** How long closing waits for a cancelled run to clean up (pg_dump stopped, partial upload removed). */
    static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    private final CancelSignal stop;
    private final ExecutorService pool;
    private final Thread loop;

    private ServerSchedules(CancelSignal stop, ExecutorService pool, Thread loop) {
        this.stop = stop;
        this.pool = pool;
        this.loop = loop;
    }

    /**
     * Starts the scheduler over every configured schedule.
     *
     * @throws LifeboatException NOT_FOUND when the configuration has no schedules
     */
    static ServerSchedules start(BackupService service) {
        if (service.config().schedules().isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "--schedules: no schedules in " + service.config().describeSource(),
                    "add a 'schedules:' section with at least one schedule (see docs/deploy.md), or serve without"
                            + " --schedules");
        }
        ExecutorService pool = Scheduler.runThreads();
        CancelSignal stop = new CancelSignal();
        Thread loop = new Thread(
                () -> {
                    // every run carries the stop signal: stopping cancels a running backup as Ctrl-C does
                    OperationContext runs =
                            new OperationContext("schedule", System.getProperty("user.name"), Progress.NONE, stop);
                    try {
                        service.scheduler(runs, pool, ServerSchedules::log)
                                .run(stop, new ClockWaiter(Clock.systemUTC()));
                    } catch (RuntimeException e) {
                        LOG.error("the scheduler stopped: {}", e.toString());
                    }
                },
                "lifeboat-scheduler");
        loop.setDaemon(true);
        ServerSchedules schedules = new ServerSchedules(stop, pool, loop);
        loop.start();
        return schedules;
    }

    private static void log(ScheduleEvent e) {
        String type = e.type().name().toLowerCase(Locale.ROOT);
        if (e.type() == ScheduleEvent.Type.FAILED
                || e.result() != null && e.result().status().name().equals("FAILED")) {
            LOG.warn("schedule {}: {}", type, e.message());
        } else {
            LOG.info("schedule {}: {}", type, e.message());
        }
    }

    /** Stops the scheduler: no new run, a running one cancelled; returns once it has stopped (or after {@link #STOP_LIMIT}). */
    @Override
    public void close() {
        stop.cancel();
        try {
            loop.join(STOP_LIMIT.toMillis());
            if (loop.isAlive()) {
                LOG.warn("the scheduler did not stop within {} s", STOP_LIMIT.toSeconds());
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
