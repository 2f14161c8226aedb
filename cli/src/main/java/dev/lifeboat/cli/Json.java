package dev.lifeboat.cli;

import java.io.Writer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectWriter;

/**
 * The CLI's {@code --json} documents: the core's one JSON shape (snake_case names, ISO-8601 times),
 * indented for people who read them in a terminal.
 */
public final class Json {
    private static final ObjectWriter WRITER =
            dev.lifeboat.core.base.Json.mapper().writerWithDefaultPrettyPrinter();

    private Json() {}

    public static String write(Object value) {
        return WRITER.writeValueAsString(value);
    }

    /** A generator writing the same indented shape to {@code out}, for documents written piece by piece. */
    public static JsonGenerator generator(Writer out) {
        return WRITER.createGenerator(out);
    }
}
