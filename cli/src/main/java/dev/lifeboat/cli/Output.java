package dev.lifeboat.cli;

import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.base.TerminalText;
import dev.lifeboat.core.catalog.BackupRecord;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JsonGenerator;

/**
 * Everything the CLI prints goes through here, and so through the {@link Redactor}: results on
 * stdout (text or JSON), notes and errors on stderr. With {@code --json}, errors are JSON on stdout
 * too, so a script reads one document whatever happened.
 */
public final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    public Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    public boolean json() {
        return json;
    }

    public PrintWriter err() {
        return err;
    }

    /** Prints a result: {@code value} as JSON with --json, else {@code text}. */
    public void result(Object value, String text) {
        if (json) {
            println(out, value instanceof BackupRecord r ? BackupsJson.one(r) : Json.write(value));
        } else {
            println(out, TerminalText.clean(text));
        }
    }

    /**
     * Prints one event of a long-running command: with --json one compact JSON document on its own line
     * (JSON lines, so a reader can act on each as it comes), else {@code text}.
     */
    public void event(Object value, String text) {
        if (json) {
            println(out, dev.lifeboat.core.base.Json.mapper().writeValueAsString(value));
        } else {
            println(out, TerminalText.clean(text));
        }
    }

    /**
     * Prints a list result: with --json the document {@code {"<field>": [items]}}, written one item at
     * a time so a listing of any length needs memory for one item's text, not the whole document;
     * else {@code text}. The redactor still sees every character printed: each item's JSON is
     * redacted whole before it is written, as are the brackets around them.
     */
    public void resultList(String field, List<?> items, Supplier<String> text) {
        resultList(field, items, text, null, null);
    }

    /** {@link #resultList(String, List, Supplier)}, with one more field after the list when its value is not null. */
    public void resultList(String field, List<?> items, Supplier<String> text, String extraField, Object extra) {
        if (!json) {
            println(out, TerminalText.clean(text.get()));
            return;
        }
        try (RedactingWriter chunks = new RedactingWriter(out);
                JsonGenerator g = Json.generator(chunks)) {
            g.writeStartObject();
            g.writeName(field);
            g.writeStartArray();
            g.flush();
            for (Object item : items) {
                g.writePOJO(item);
                g.flush();
            }
            g.writeEndArray();
            if (extraField != null && extra != null) {
                g.writeName(extraField);
                g.writePOJO(extra);
            }
            g.writeEndObject();
        }
        out.println();
        out.flush();
    }

    /**
     * {@link #resultList(String, List, Supplier, String, Object)} for backups: the same document, written
     * by {@link BackupsJson} rather than Jackson and redacted item by item only where a string needs it.
     */
    public void backupList(
            String field,
            List<dev.lifeboat.core.catalog.BackupRecord> items,
            Supplier<String> text,
            String extraField,
            Integer extra) {
        if (!json) {
            println(out, TerminalText.clean(text.get()));
            return;
        }
        BackupsJson.write(out, field, items, extraField, extra);
    }

    /** A line for people on stderr (prompts, hints); never part of a --json document. */
    public void note(String text) {
        println(err, TerminalText.clean(text));
    }

    public void error(String code, String message, String hint) {
        if (json) {
            println(out, Json.write(new ErrorDocument(new ErrorDocument.Error(code, message, hint))));
        } else {
            println(err, TerminalText.clean("error: " + code + ": " + message));
            if (hint != null && !hint.isBlank()) {
                println(err, TerminalText.clean("hint: " + hint));
            }
        }
    }

    private static void println(PrintWriter w, String text) {
        w.println(Redactor.global().redact(text));
        w.flush();
    }

    /**
     * Collects what a JSON generator writes and passes it on redacted at each flush: the caller
     * flushes after each whole item, so no secret is ever split between two redacted chunks.
     */
    private static final class RedactingWriter extends Writer {
        private final PrintWriter target;
        private final StringBuilder pending = new StringBuilder();

        RedactingWriter(PrintWriter target) {
            this.target = target;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            pending.append(buf, off, len);
        }

        @Override
        public void write(String s, int off, int len) {
            pending.append(s, off, off + len);
        }

        /** Passes on what was written since the last flush, redacted; the target buffers it. */
        @Override
        public void flush() {
            if (pending.length() > 0) {
                target.write(Redactor.global().redact(pending.toString()));
                pending.setLength(0);
            }
        }

        @Override
        public void close() {
            flush();
            target.flush();
        }
    }

    /** {@code {"error": {"code", "message", "hint"}}}; the hint is left out when there is none. */
    record ErrorDocument(Error error) {
        record Error(String code, String message, String hint) {}
    }
}
