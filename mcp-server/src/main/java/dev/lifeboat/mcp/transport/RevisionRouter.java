package dev.lifeboat.mcp.transport;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * One endpoint ({@code /mcp}) for two servers: the session server of the 2025 revisions (Streamable
 * HTTP) and the stateless server of the 2026-07-28 revision. {@link HttpSecurityFilter} decides which
 * a request is for (its {@code MCP-Protocol-Version} header, or the version claimed in its body's {@code
 * _meta}) after it checked the request like any other; this servlet only hands it on.
 */
final class RevisionRouter extends HttpServlet {
    private final HttpServlet sessions;
    private final HttpServlet stateless;

    RevisionRouter(HttpServlet sessions, HttpServlet stateless) {
        this.sessions = sessions;
        this.stateless = stateless;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        sessions.init(config);
        stateless.init(config);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        HttpServlet target =
                Boolean.TRUE.equals(request.getAttribute(Revisions.STATELESS_ATTRIBUTE)) ? stateless : sessions;
        target.service((jakarta.servlet.ServletRequest) request, response);
    }

    @Override
    public void destroy() {
        sessions.destroy();
        stateless.destroy();
    }
}
