package dev.lifeboat.cli.command;

import picocli.CommandLine.Command;

/** {@code lifeboat config ...}. */
@Command(
        name = "config",
        description = "Inspect the configuration.",
        subcommands = {ConfigCheckCommand.class})
public final class ConfigCommand extends GroupCommand {}
