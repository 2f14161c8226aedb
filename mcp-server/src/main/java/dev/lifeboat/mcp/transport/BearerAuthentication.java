package dev.lifeboat.mcp.transport;

import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import dev.lifeboat.mcp.auth.TokenEntry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;

/**
 * Who an HTTP request comes from: the bearer token in the {@code Authorization} header (never the
 * query string), checked against the configured hashes (401 with a {@code WWW-Authenticate} challenge
 * otherwise; refusals are logged, rate-limited, by {@link AuthFailureLog}). Without configured tokens
 * the server runs only when the operator opted out with {@code mcp.allow_unauthenticated_local} on a
 * loopback bind ({@link JettyMcpHttpServer} refuses to start otherwise), and its callers are then
 * treated as the local user with every scope, as over stdio.
 */
final class BearerAuthentication {
    private static final long LOG_WINDOW_NANOS = 60_000_000_000L;

    private final TokenAuthenticator tokens;
    private final AuthFailureLog failures;

    BearerAuthentication(TokenAuthenticator tokens) {
        this.tokens = tokens;
        this.failures = new AuthFailureLog(LOG_WINDOW_NANOS, System::nanoTime);
    }

    /**
     * Whether a request with this {@code Authorization} header value would be let in; checked before
     * its body is read, so that only callers who may call anything can make the server hold a body.
     */
    boolean accepts(String authorization) {
        if (!tokens.enabled()) {
            return true;
        }
        return authorization != null
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && tokens.authenticate(authorization.substring(7).trim()).isPresent();
    }

    /**
     * Who made a request: the caller (without a request id yet: the body says which request it is)
     * and the credential it used, which an MCP session is bound to.
     *
     * @param holder the SHA-256 of the bearer token, or {@code "unauthenticated-local"} for the
     *     operator's opt-out, where every local caller is one and the same holder
     */
    record Authenticated(CallerInfo caller, String holder) {}

    /** The caller and its credential; 401 without a valid token when tokens are configured. */
    Authenticated authenticate(HttpServletRequest request) throws HttpRejection {
        String transport = request.getRequestURI().startsWith("/mcp") ? "http" : "sse";
        String sessionKey = transport + ":"
                + ("http".equals(transport) ? request.getHeader("Mcp-Session-Id") : request.getParameter("sessionId"));
        if (!tokens.enabled()) {
            // the operator's opt-out (mcp.allow_unauthenticated_local, loopback only): the local user, as over stdio
            return new Authenticated(
                    new CallerInfo(transport, "local-http", EnumSet.allOf(Scope.class), sessionKey, null),
                    "unauthenticated-local");
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            failures.refused(false, request.getRemoteAddr(), request.getMethod(), request.getRequestURI());
            String why = hasQueryToken(request)
                    ? "tokens are accepted only in the Authorization header, never in the URL"
                    : "a bearer token is required";
            throw new HttpRejection(401, "unauthorized", why, "Bearer realm=\"lifeboat\"");
        }
        Optional<TokenEntry> entry = tokens.authenticate(auth.substring(7).trim());
        if (entry.isEmpty()) {
            failures.refused(true, request.getRemoteAddr(), request.getMethod(), request.getRequestURI());
            throw new HttpRejection(
                    401,
                    "invalid_token",
                    "the bearer token is not valid",
                    "Bearer realm=\"lifeboat\", error=\"invalid_token\"");
        }
        // the token's hash, not its subject: two tokens may share a subject and must not share sessions
        return new Authenticated(
                new CallerInfo(transport, entry.get().subject(), entry.get().scopes(), sessionKey, null),
                "sha256:" + entry.get().sha256());
    }

    private static boolean hasQueryToken(HttpServletRequest request) {
        String q = request.getQueryString();
        return q != null && q.toLowerCase(Locale.ROOT).matches("(^|.*&)(access_token|token|bearer)=.*");
    }
}
