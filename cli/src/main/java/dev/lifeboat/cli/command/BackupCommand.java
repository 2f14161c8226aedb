package dev.lifeboat.cli.command;

import picocli.CommandLine.Command;

/** {@code lifeboat backup ...}. */
@Command(name = "backup", description = "Create, list, show and delete backups.")
public final class BackupCommand extends GroupCommand {}
