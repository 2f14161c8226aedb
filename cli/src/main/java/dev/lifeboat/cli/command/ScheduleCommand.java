package dev.lifeboat.cli.command;

import picocli.CommandLine.Command;

/** {@code lifeboat schedule ...}. */
@Command(
        name = "schedule",
        description = "Run the schedules of lifeboat.yaml: in the foreground, one slot at a time (for timers and"
                + " CronJobs), or exported as systemd units or Kubernetes CronJobs.")
public final class ScheduleCommand extends GroupCommand {}
