package dev.lifeboat.cli.command;

import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.cli.ScheduleText;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.schedule.ScheduleSummary;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code lifeboat schedule list}. */
@Command(
        name = "list",
        description = "List the configured schedules: what each backs up, its next run and its last run (from the run"
                + " markers in its store, so runs by other hosts count).")
public final class ScheduleListCommand extends ServiceCommand {
    @Override
    protected int run(BackupService service) {
        List<ScheduleSummary> schedules = service.schedules();
        out().resultList("schedules", schedules, () -> ScheduleText.list(schedules));
        return ExitCodes.OK;
    }
}
