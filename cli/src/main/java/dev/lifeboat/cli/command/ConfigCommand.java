package dev.lifeboat.cli.command;

import picocli.CommandLine.Command;

/** {@code lifeboat config ...}. */
@Command(name = "config", description = "Inspect the configuration.")
public final class ConfigCommand extends GroupCommand {}
