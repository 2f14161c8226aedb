package dev.lifeboat.mcp.transport;

/**
 * A request refused before it reaches the SDK: the status, a small JSON body ({@code {"error",
 * "message"}}) and, for token problems, the {@code WWW-Authenticate} challenge. Thrown by the checks
 * {@link HttpSecurityFilter} runs and written by {@link SanitizingResponse#reject}.
 */
final class HttpRejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String challenge;

    HttpRejection(int status, String error, String message, String challenge) {
        super(message, null, false, false); // an answer, not a failure: no stack trace to fill
        this.status = status;
        this.error = error;
        this.challenge = challenge;
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
}
