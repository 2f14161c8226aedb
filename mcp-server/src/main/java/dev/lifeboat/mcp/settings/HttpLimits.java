package dev.lifeboat.mcp.settings;

import java.time.Duration;

/**
 * How much the HTTP server lets its callers hold: sessions, request bodies and the time to send one.
 *
 * @param maxSessions open MCP sessions in all (Streamable HTTP and SSE), {@code mcp.max_sessions}
 * @param maxSessionsPerToken open sessions of one token's subject, {@code mcp.max_sessions_per_token}
 * @param sessionIdleTimeout a session without requests and without an open stream for this long ends,
 *     {@code mcp.session_idle_timeout}
 * @param maxRequestBytes the largest request body; larger ones get 413 before they are read
 * @param maxInitializeBytes the largest {@code initialize} body: what a session keeps of its client
 *     (capabilities and client info) lives as long as the session
 * @param requestBodyTimeout the time a request has to send its whole body once its headers arrived;
 *     a slower one gets 408 and its connection is closed
 */
public record HttpLimits(
        int maxSessions,
        int maxSessionsPerToken,
        Duration sessionIdleTimeout,
        int maxRequestBytes,
        int maxInitializeBytes,
        Duration requestBodyTimeout) {

    public static final int DEFAULT_MAX_SESSIONS = 64;
    public static final int DEFAULT_MAX_SESSIONS_PER_TOKEN = 16;
    public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** Far above the largest Lifeboat call (32 tags and a label, JSON-escaped, are under 60 KiB). */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;
    /** A client's initialize is well under 2 KiB. */
    public static final int DEFAULT_MAX_INITIALIZE_BYTES = 16 * 1024;

    public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(10);

    public HttpLimits {
        if (maxSessions < 1 || maxSessionsPerToken < 1 || maxRequestBytes < 1 || maxInitializeBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (sessionIdleTimeout.isNegative()
                || sessionIdleTimeout.isZero()
                || requestBodyTimeout.isNegative()
                || requestBodyTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static HttpLimits defaults() {
        return new HttpLimits(
                DEFAULT_MAX_SESSIONS,
                DEFAULT_MAX_SESSIONS_PER_TOKEN,
                DEFAULT_SESSION_IDLE_TIMEOUT,
                DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MAX_INITIALIZE_BYTES,
                DEFAULT_REQUEST_BODY_TIMEOUT);
    }

    public HttpLimits withSessions(int total, int perToken, Duration idleTimeout) {
        return new HttpLimits(total, perToken, idleTimeout, maxRequestBytes, maxInitializeBytes, requestBodyTimeout);
    }

    public HttpLimits withRequestBodyTimeout(Duration timeout) {
        return new HttpLimits(
                maxSessions, maxSessionsPerToken, sessionIdleTimeout, maxRequestBytes, maxInitializeBytes, timeout);
    }
}
