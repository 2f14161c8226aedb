package dev.lifeboat.cli;

import dev.lifeboat.cli.command.ApproveCommand;
import dev.lifeboat.cli.command.AuditCommand;
import dev.lifeboat.cli.command.BackupCommand;
import dev.lifeboat.cli.command.BackupCopyCommand;
import dev.lifeboat.cli.command.BackupCreateCommand;
import dev.lifeboat.cli.command.BackupDeleteCommand;
import dev.lifeboat.cli.command.BackupGetCommand;
import dev.lifeboat.cli.command.BackupListCommand;
import dev.lifeboat.cli.command.ConfigCheckCommand;
import dev.lifeboat.cli.command.ConfigCommand;
import dev.lifeboat.cli.command.DrillCommand;
import dev.lifeboat.cli.command.DrillListCommand;
import dev.lifeboat.cli.command.DrillShowCommand;
import dev.lifeboat.cli.command.GcCommand;
import dev.lifeboat.cli.command.McpCallCommand;
import dev.lifeboat.cli.command.McpCommand;
import dev.lifeboat.cli.command.McpServeCommand;
import dev.lifeboat.cli.command.McpToolsCommand;
import dev.lifeboat.cli.command.PruneCommand;
import dev.lifeboat.cli.command.RestoreCommand;
import dev.lifeboat.cli.command.ScheduleCommand;
import dev.lifeboat.cli.command.ScheduleExportCommand;
import dev.lifeboat.cli.command.ScheduleListCommand;
import dev.lifeboat.cli.command.ScheduleRunCommand;
import dev.lifeboat.cli.command.ScheduleRunOnceCommand;
import dev.lifeboat.cli.command.StatusCommand;
import dev.lifeboat.cli.command.VerifyCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        exitCodeListHeading = "%nExit codes:%n",
        footerHeading = "%n",
        footer = "Add --json to any command for machine-readable output. Docs: docs/cli.md")
public final class LifeboatCommand implements Callable<Integer> {
    /**
     * The commands, in the order help lists them. Registered in {@link #commandLine}, not in the
     * annotation, so that a run builds only the tree it uses.
     */
    private static final Map<String, Class<?>> COMMANDS = commands();

    /**
     * The subcommands of the commands that only group others, by group, in the order help lists them;
     * registered here rather than in their annotations for the same reason: {@code backup list} builds
     * {@code list} alone, and {@code mcp serve} neither the MCP client commands nor their options.
     */
    private static final Map<String, List<Class<?>>> GROUPS = Map.of(
            "backup",
            List.of(
                    BackupCreateCommand.class,
                    BackupListCommand.class,
                    BackupGetCommand.class,
                    BackupCopyCommand.class,
                    BackupDeleteCommand.class),
            "config",
            List.of(ConfigCheckCommand.class),
            "drill",
            List.of(DrillListCommand.class, DrillShowCommand.class),
            "mcp",
            List.of(McpServeCommand.class, McpToolsCommand.class, McpCallCommand.class),
            "schedule",
            List.of(
                    ScheduleListCommand.class,
                    ScheduleRunCommand.class,
                    ScheduleRunOnceCommand.class,
                    ScheduleExportCommand.class));

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
        // named from what is registered, so a new command can never be missing from the list
        List<String> commands = spec.commandLine().getSubcommands().keySet().stream()
                .filter(name -> !name.equals("help"))
                .toList();
        throw new ParameterException(spec.commandLine(), "missing command: one of " + String.join(", ", commands));
    }

    /** The whole command line, ready to execute: exit codes, error reporting and help wired in. */
    public static CommandLine commandLine(CliEnvironment environment) {
        return commandLine(environment, null);
    }

    /**
     * The command line for one run of {@code args}: when the first argument names a command, only
     * that command's tree is built, and {@code --version} alone builds none. Picocli builds a model of
     * every command it is given by reflection, and each costs start-up time (tens of milliseconds for
     * the whole tree, plus the classes their fields pull in). Anything else (help, a typo, no
     * command) gets the whole tree, so usage and suggestions are unchanged.
     */
    public static CommandLine commandLine(CliEnvironment environment, String[] args) {
        Failures failures = new Failures();
        CommandLine cmd = new CommandLine(new LifeboatCommand(environment));
        String first = args == null || args.length == 0 ? null : args[0];
        boolean versionOnly = args != null && args.length == 1 && ("--version".equals(first) || "-V".equals(first));
        if (first != null && COMMANDS.containsKey(first) && !"help".equals(first)) {
            add(cmd, first, args.length > 1 ? args[1] : null);
        } else if (!versionOnly) {
            COMMANDS.keySet().forEach(name -> add(cmd, name, null));
        }
        cmd.getCommandSpec().usageMessage().exitCodeList(ExitCodes.table());
        cmd.setExecutionExceptionHandler(failures);
        cmd.setParameterExceptionHandler(failures);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    /**
     * Adds command {@code name} to {@code root} with, when it groups others, only the subcommand
     * {@code next} names, or all of them when {@code next} names none (help, a typo, no subcommand:
     * usage and suggestions stay as they were).
     */
    private static void add(CommandLine root, String name, String next) {
        root.addSubcommand(COMMANDS.get(name));
        List<Class<?>> subcommands = GROUPS.getOrDefault(name, List.of());
        if (subcommands.isEmpty()) {
            return;
        }
        CommandLine group = root.getSubcommands().get(name);
        List<Class<?>> named = subcommands.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(next))
                .toList();
        (named.isEmpty() ? subcommands : named).forEach(group::addSubcommand);
    }

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("backup", BackupCommand.class);
        m.put("verify", VerifyCommand.class);
        m.put("restore", RestoreCommand.class);
        m.put("approve", ApproveCommand.class);
        m.put("prune", PruneCommand.class);
        m.put("gc", GcCommand.class);
        m.put("drill", DrillCommand.class);
        m.put("status", StatusCommand.class);
        m.put("schedule", ScheduleCommand.class);
        m.put("audit", AuditCommand.class);
        m.put("config", ConfigCommand.class);
        m.put("mcp", McpCommand.class);
        m.put("completion", CompletionCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return m;
    }
}
