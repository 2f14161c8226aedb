package dev.lifeboat.core.base;

import java.util.Objects;
import java.util.function.Function;

/**
 * The one exception Lifeboat throws across its ports and out of its use cases. Its message
 * says what was wrong, its hint what to do; both are redacted when the exception is made, so no
 * front end can print a secret by printing an error.
 */
public class LifeboatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String hint;

    public LifeboatException(ErrorCode code, String message, String hint) {
        this(code, message, hint, null);
    }

    public LifeboatException(ErrorCode code, String message, String hint, Throwable cause) {
        super(Redactor.global().redact(message), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.hint = hint == null ? null : Redactor.global().redact(hint);
    }

    /**
     * {@code cause} as the failure of a cancelled operation: the caller asked it to stop, whatever
     * the step that noticed said (a child whose input was cut, say). What that step said is kept: it
     * names where things were left (the target untouched, a partial copy removed, a swap that did
     * commit), which no general sentence here could know.
     */
    public static LifeboatException cancelled(LifeboatException cause) {
        if (cause.code() == ErrorCode.CANCELLED) {
            return cause;
        }
        return new LifeboatException(
                ErrorCode.CANCELLED,
                "the operation was cancelled; the step it stopped ended with: " + cause.getMessage(),
                cause.hint(),
                cause);
    }

    /**
     * The same failure (its code and hint, with this as the cause) with {@code more} said after its
     * message: what became of the work because of it, e.g. {@code "; the new database 'x' was removed"}.
     */
    public LifeboatException followedBy(String more) {
        return new LifeboatException(code, getMessage() + more, hint, this);
    }

    public ErrorCode code() {
        return code;
    }

    /**
     * What the user can do about it, or {@code null} when there is nothing useful to say, with its
     * {@link Remedy} placeholders: a face words them in its own syntax with {@link #hint(Function)};
     * code that wraps this exception passes this on unchanged.
     */
    public String hint() {
        return hint;
    }

    /** The hint with each {@link Remedy} spelled by {@code spelling} (a CLI flag, an MCP argument). */
    public String hint(Function<Remedy, String> spelling) {
        return Remedy.render(hint, spelling);
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
