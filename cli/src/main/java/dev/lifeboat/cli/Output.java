package dev.lifeboat.cli;

import dev.lifeboat.core.secret.Redactor;
import java.io.PrintWriter;

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
            println(out, Json.write(value));
        } else {
            println(out, text);
        }
    }

    /** A line for people on stderr (prompts, hints); never part of a --json document. */
    public void note(String text) {
        println(err, text);
    }

    public void error(String code, String message, String hint) {
        if (json) {
            println(out, Json.write(new ErrorDocument(new ErrorDocument.Error(code, message, hint))));
        } else {
            println(err, "error: " + code + ": " + message);
            if (hint != null && !hint.isBlank()) {
                println(err, "hint: " + hint);
            }
        }
    }

    private static void println(PrintWriter w, String text) {
        w.println(Redactor.global().redact(text));
        w.flush();
    }

    /** {@code {"error": {"code", "message", "hint"}}}; the hint is left out when there is none. */
    record ErrorDocument(Error error) {
        record Error(String code, String message, String hint) {}
    }
}
