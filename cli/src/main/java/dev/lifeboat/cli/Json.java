package dev.lifeboat.cli;

import tools.jackson.databind.ObjectWriter;

/**
 * The CLI's {@code --json} documents: the core's one JSON shape (snake_case names, ISO-8601 times),
 * indented for people who read them in a terminal.
 */
public final class Json {
    private static final ObjectWriter WRITER = dev.lifeboat.core.Json.mapper().writerWithDefaultPrettyPrinter();

    private Json() {}

    public static String write(Object value) {
        return WRITER.writeValueAsString(value);
    }
}
