package dev.lifeboat.cli.command;

import picocli.CommandLine.Option;

/** {@code --plan | --confirm TOKEN} for destructive commands. */
public final class ConfirmOptions {
    @Option(names = "--plan", description = "Only show what would happen, with the confirmation token; change nothing.")
    boolean plan;

    @Option(
            names = "--confirm",
            paramLabel = "TOKEN",
            description = "The token printed by a --plan run: carry out exactly that plan.")
    String token;

    public boolean plan() {
        return plan;
    }

    public String token() {
        return token;
    }
}
