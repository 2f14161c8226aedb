package dev.lifeboat.cli.command;

import dev.lifeboat.core.restore.Selection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --table} and {@code --schema}: the part of a backup a restore or a drill takes. */
final class SelectionOptions {
    @Option(
            names = "--table",
            paramLabel = "SCHEMA.TABLE",
            description = "Only this table, whole: its data, indexes, constraints, triggers, sequences, comments and"
                    + " grants (repeatable). 'backup get ID --contents' lists them.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--schema", paramLabel = "NAME", description = "Only this schema, with what is in it (repeatable).")
    List<String> schemas = new ArrayList<>();

    Selection selection() {
        return Selection.of(tables, schemas);
    }

    boolean any() {
        return !tables.isEmpty() || !schemas.isEmpty();
    }
}
