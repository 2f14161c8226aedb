package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.ScheduleText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.schedule.SlotResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lifeboat schedule run-once NAME}. */
@Command(
        name = "run-once",
        description = {
            "Run the latest slot of one schedule (its last fire time at or before now) and exit: what a systemd"
                    + " timer or a Kubernetes CronJob starts.",
            "A slot that some worker has taken already (its run marker exists) is skipped and exits 0, so a"
                    + " catch-up run, a retried job or a second host never runs it twice. A failed step exits with"
                    + " its error code."
        })
public final class ScheduleRunOnceCommand extends ServiceCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "A configured schedule.")
    String name;

    @Mixin
    MetricsFileOption metrics;

    @Override
    protected int run(BackupService service) {
        return metrics.around(service, out().err(), () -> {
            SlotResult r = track(context -> service.runSchedule(name, context));
            out().result(r, ScheduleText.result(r));
            return exitCode(r);
        });
    }

    static int exitCode(SlotResult r) {
        SlotResult.Step failed = r.firstFailure();
        if (r.status() != SlotResult.Status.FAILED || failed == null) {
            return ExitCodes.OK;
        }
        try {
            return ExitCodes.of(ErrorCode.valueOf(failed.errorCode()));
        } catch (IllegalArgumentException | NullPointerException e) {
            return ExitCodes.INTERNAL;
        }
    }
}
