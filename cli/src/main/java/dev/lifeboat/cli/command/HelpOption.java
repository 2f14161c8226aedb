package dev.lifeboat.cli.command;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help}: the one declaration of it, mixed into {@link SharedOptions} (every command) and
 * {@link GroupCommand} (commands that only group subcommands and take no shared options).
 */
public final class HelpOption {
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;
}
