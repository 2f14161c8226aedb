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

    /**
     * Builds, on a thread of its own, the mapper and the serializers of {@code types}. The first JSON
     * document a process prints pays for both (~80-100 ms of reflection: the mapper, then each record's
     * serializer), which a restore paid after its work was done; a command that will print one of
     * these documents starts this before its work, whose other core is idle while it waits on the
     * server. The writer caches what it builds here for the main thread.
     */
    public static void prepare(java.util.List<Class<?>> types) {
        Thread t = new Thread(
                () -> {
                    for (Class<?> type : types) {
                        WRITER.forType(type);
                    }
                },
                "lifeboat-json");
        t.setDaemon(true);
        t.start();
    }

    public static String write(Object value) {
        return WRITER.writeValueAsString(value);
    }

    /** A generator writing the same indented shape to {@code out}, for documents written piece by piece. */
    public static JsonGenerator generator(Writer out) {
        return WRITER.createGenerator(out);
    }
}
