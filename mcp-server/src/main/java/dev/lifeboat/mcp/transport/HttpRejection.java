package dev.lifeboat.mcp.transport;

/**
 * A request refused before it reaches the SDK: the status, a small JSON body ({@code {"error",
 * "message"}}), for token problems the {@code WWW-Authenticate} challenge, and for a refusal that
 * passes with time a {@code Retry-After}. Thrown by the checks {@link HttpSecurityFilter} runs and
 * written by {@link SanitizingResponse#reject}.
 */
final class HttpRejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String challenge;
    private final long retryAfterSeconds;

    HttpRejection(int status, String error, String message, String challenge) {
        this(status, error, message, challenge, -1);
    }

    HttpRejection(int status, String error, String message, String challenge, long retryAfterSeconds) {
        super(message, null, false, false); // an answer, not a failure: no stack trace to fill
        this.status = status;
        this.error = error;
        this.challenge = challenge;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    /** The {@code WWW-Authenticate} value, or null. */
    String challenge() {
        return challenge;
    }

    /** Seconds for {@code Retry-After}, or -1 for none. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
