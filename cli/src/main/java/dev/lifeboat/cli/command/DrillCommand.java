package dev.lifeboat.cli.command;

import picocli.CommandLine.Command;

/** {@code lifeboat drill ...}. */
@Command(name = "drill", description = "Restore drills: the evidence left by 'lifeboat verify <id> --level restore'.")
public final class DrillCommand extends GroupCommand {}
