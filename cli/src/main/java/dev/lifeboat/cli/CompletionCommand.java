package dev.lifeboat.cli;

import dev.lifeboat.core.base.CancelSignal;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lifeboat completion}: the shell completion script picocli generates from every command, for
 * bash and zsh (zsh runs it through bashcompinit). The release archive carries it, made by the build.
 */
@Command(
        name = "completion",
        description = {
            "Print the shell completion script for bash and zsh.",
            "bash: source <(lifeboat completion); zsh: autoload -U +X bashcompinit && bashcompinit, then the same."
        })
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // the whole tree: this run's command line holds only the command it was asked for
        CommandLine everything = LifeboatCommand.commandLine(
                new CliEnvironment(Map.of(), Terminal.NONE, new CancelSignal(), "completion"), new String[0]);
        spec.commandLine().getOut().print(AutoComplete.bash("lifeboat", everything));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
