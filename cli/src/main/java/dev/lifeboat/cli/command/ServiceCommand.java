package dev.lifeboat.cli.command;

import dev.lifeboat.cli.CliEnvironment;
import dev.lifeboat.cli.LifeboatCommand;
import dev.lifeboat.cli.Logging;
import dev.lifeboat.cli.Output;
import dev.lifeboat.cli.ProgressMeter;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that does its work through one {@link BackupService}: loads the configuration, opens
 * the service, hands both to {@link #run}, closes the service. Errors are thrown as
 * {@code LifeboatException} and reported by the root command's handler.
 */
abstract class ServiceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    private Output output;

    @Override
    public final Integer call() {
        Timeline.mark("arguments parsed");
        if (shared.json() && !jsonDocuments().isEmpty()) {
            dev.lifeboat.cli.Json.prepare(jsonDocuments());
        }
        if (shared.verbose()) {
            Logging.verbose();
        }
        beforeConfiguration();
        LifeboatConfig config = new ConfigLoader(environment().variables()).load(shared.config());
        Timeline.mark("configuration loaded");
        try (BackupService service = BackupService.open(config, environment().variables())) {
            Timeline.mark("service opened");
            int code = run(service);
            Timeline.mark("command done (result printed)");
            return code;
        }
    }

    /**
     * The --json documents a long command will print, whose serializers are built while it works (none,
     * unless it says: a short command would only move that work, and one that prints without the
     * mapper would pay for it for nothing).
     */
    protected java.util.List<Class<?>> jsonDocuments() {
        return java.util.List.of();
    }

    /** What a command refuses before the configuration is even read (nothing, unless it says). */
    protected void beforeConfiguration() {}

    /** Does the command's one thing; returns the exit code. */
    protected abstract int run(BackupService service);

    protected final Output out() {
        if (output == null) {
            output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), shared.json());
        }
        return output;
    }

    protected final CliEnvironment environment() {
        return ((LifeboatCommand) spec.root().userObject()).environment();
    }

    /** Runs a long operation with a progress line on a terminal's stderr and Ctrl-C wired to cancel it. */
    protected final <T> T track(Function<OperationContext, T> operation) {
        CliEnvironment env = environment();
        Progress progress =
                ProgressMeter.forTerminal(env.terminal(), spec.commandLine().getErr());
        try {
            return operation.apply(new OperationContext("cli", env.user(), progress, env.cancel()));
        } finally {
            if (progress instanceof ProgressMeter meter) {
                meter.close();
            }
        }
    }

    /** Whether a person can be asked to confirm on this run (a terminal, and no --json). */
    protected final boolean canAsk() {
        return environment().terminal().interactive() && !shared.json();
    }
}
