package dev.lifeboat.cli.command;

import picocli.CommandLine.Command;

/** {@code lifeboat backup ...}. */
@Command(
        name = "backup",
        description = "Create, list, show and delete backups.",
        subcommands = {
            BackupCreateCommand.class,
            BackupListCommand.class,
            BackupGetCommand.class,
            BackupCopyCommand.class,
            BackupDeleteCommand.class
        })
public final class BackupCommand extends GroupCommand {}
