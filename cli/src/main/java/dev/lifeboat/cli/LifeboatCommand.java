package dev.lifeboat.cli;

import dev.lifeboat.cli.command.ApproveCommand;
import dev.lifeboat.cli.command.BackupCommand;
import dev.lifeboat.cli.command.ConfigCommand;
import dev.lifeboat.cli.command.DrillCommand;
import dev.lifeboat.cli.command.McpCommand;
import dev.lifeboat.cli.command.RestoreCommand;
import dev.lifeboat.cli.command.VerifyCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root of the {@code lifeboat} command tree. */
@Command(
        name = "lifeboat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Back up, verify and restore PostgreSQL databases.",
        subcommands = {
            BackupCommand.class,
            VerifyCommand.class,
            RestoreCommand.class,
            ApproveCommand.class,
            DrillCommand.class,
            ConfigCommand.class,
            McpCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        footerHeading = "%n",
        footer = "Add --json to any command for machine-readable output. Docs: docs/cli.md")
public final class LifeboatCommand implements Callable<Integer> {
    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    public LifeboatCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    public CliEnvironment environment() {
        return environment;
    }

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(), "missing command: one of backup, verify, restore, approve, drill, config, mcp");
    }

    /** The command line, ready to execute: exit codes, error reporting and help wired in. */
    public static CommandLine commandLine(CliEnvironment environment) {
        Failures failures = new Failures();
        CommandLine cmd = new CommandLine(new LifeboatCommand(environment));
        cmd.getCommandSpec().usageMessage().exitCodeList(ExitCodes.table());
        cmd.setExecutionExceptionHandler(failures);
        cmd.setParameterExceptionHandler(failures);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }
}
