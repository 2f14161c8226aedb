package dev.lifeboat.mcp.transport;

import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.auth.Scope;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /metrics}: backup health in the Prometheus text format, for a scraper. It sits behind
 * {@link HttpSecurityFilter} like the MCP endpoints (Host, Origin, the bearer token), and needs the
 * token scope {@code metrics} on top, so a scraper's token can do nothing else and an agent's token
 * does not leak what a dashboard sees. Without tokens ({@code mcp.allow_unauthenticated_local}) every
 * local caller holds every scope, this one too.
 */
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** What the endpoint answers: the exposition, written afresh for each scrape. */
    @FunctionalInterface
    public interface Source {
        void write(OutputStream out) throws IOException;
    }

    /** The text format's content type, version 0.0.4 (what Prometheus and node_exporter speak). */
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final transient Source source;

    MetricsServlet(Source source) {
        this.source = source;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CallerInfo caller = HttpSecurityFilter.caller(request);
        if (!caller.has(Scope.METRICS)) {
            SanitizingResponse out = response instanceof SanitizingResponse s ? s : null;
            HttpRejection refused = new HttpRejection(
                    403,
                    "insufficient_scope",
                    "this token lacks the scope " + Scope.METRICS.id() + " needed by /metrics",
                    "Bearer realm=\"lifeboat\", error=\"insufficient_scope\", scope=\"" + Scope.METRICS.id() + "\"");
            if (out != null) {
                out.reject(refused);
            } else {
                response.setHeader("WWW-Authenticate", refused.challenge());
                response.sendError(403);
            }
            return;
        }
        response.setStatus(200);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        try (OutputStream out = response.getOutputStream()) {
            source.write(out);
        }
    }
}
