package dev.lifeboat.cli.command;

import picocli.CommandLine.Option;

/** {@code --store NAME}: which configured store to use. */
public final class StoreOption {
    @Option(
            names = "--store",
            paramLabel = "NAME",
            description = "A configured store (default: the database's store, else the default store;"
                    + " reads search every store).")
    String name;

    public String name() {
        return name;
    }
}
