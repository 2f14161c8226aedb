package dev.lifeboat.cli.command;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command takes. */
public final class SharedOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file (default: $LIFEBOAT_CONFIG, else $XDG_CONFIG_HOME/lifeboat/lifeboat.yaml,"
                    + " else the embedded defaults: one database from the PG* variables, a local store).")
    Path config;

    @Option(names = "--json", description = "Print one JSON document on stdout, on success and on error.")
    boolean json;

    @Option(
            names = {"-v", "--verbose"},
            description = "Log more on stderr, and show stack traces of errors.")
    boolean verbose;

    @Mixin
    HelpOption help;

    public Path config() {
        return config;
    }

    public boolean json() {
        return json;
    }

    public boolean verbose() {
        return verbose;
    }
}
