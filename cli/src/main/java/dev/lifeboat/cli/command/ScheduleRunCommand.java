package dev.lifeboat.cli.command;

import dev.lifeboat.cli.CliEnvironment;
import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.ScheduleText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.schedule.ClockWaiter;
import dev.lifeboat.core.schedule.ScheduleEvent;
import dev.lifeboat.core.schedule.Scheduler;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lifeboat schedule run}: the foreground scheduler. */
@Command(
        name = "run",
        description = {
            "Run every configured schedule in the foreground until stopped, printing a line per event (with --json,"
                    + " one JSON document per line).",
            "A slot missed while it was not running is run once at start-up, and said so; runs of one schedule"
                    + " never overlap. SIGTERM or Ctrl-C cancels a running backup cleanly (pg_dump stopped, nothing"
                    + " half-written left) and gives its slot back, so it runs at the next start."
        })
public final class ScheduleRunCommand extends ServiceCommand {
    @Mixin
    MetricsFileOption metrics;

    @Override
    protected int run(BackupService service) {
        if (service.config().schedules().isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.NOT_FOUND,
                    "no schedules in " + service.config().describeSource(),
                    "add a 'schedules:' section with at least one schedule (see docs/deploy.md)");
        }
        CliEnvironment env = environment();
        OperationContext runs = new OperationContext("schedule", env.user(), Progress.NONE, env.cancel());
        ExecutorService pool = Scheduler.runThreads();
        try {
            service.scheduler(runs, pool, event -> {
                        out().event(event, ScheduleText.event(event));
                        if (event.type() == ScheduleEvent.Type.FINISHED || event.type() == ScheduleEvent.Type.FAILED) {
                            metrics.write(service, null, out().err());
                        }
                    })
                    .run(env.cancel(), new ClockWaiter(Clock.systemUTC()));
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ExitCodes.OK;
    }
}
