package dev.lifeboat.mcp.transport;

import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import dev.lifeboat.mcp.tool.LifeboatTool;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards every HTTP request before the SDK sees it, in this order: Host (421) and Origin (403)
 * against DNS rebinding and cross-site calls ({@link HostOriginCheck}), the bearer token from the
 * Authorization header only (401, {@link BearerAuthentication}), then for a POST the JSON-RPC body
 * ({@link JsonRpcPeek}): a {@code tools/call} whose scope the token lacks is refused (403
 * insufficient_scope), a {@code tools/call} gets its cancel signal and a {@code
 * notifications/cancelled} cancels the call it names. Error bodies, ours and the SDK's, leave as small
 * JSON objects without stack traces ({@link SanitizingResponse}).
 */
public final class HttpSecurityFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurityFilter.class);

    private final HostOriginCheck hostOrigin;
    private final BearerAuthentication bearer;
    private final Map<String, LifeboatTool> tools;
    private final CancelRegistry cancels;

    public HttpSecurityFilter(
            TokenAuthenticator tokens,
            Map<String, LifeboatTool> tools,
            CancelRegistry cancels,
            String bindHost,
            IntSupplier port,
            List<String> extraOrigins,
            List<String> extraHosts) {
        this.hostOrigin = new HostOriginCheck(bindHost, port, extraOrigins, extraHosts);
        this.bearer = new BearerAuthentication(tokens);
        this.tools = Map.copyOf(tools);
        this.cancels = cancels;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        SanitizingResponse response = new SanitizingResponse((HttpServletResponse) res);
        try {
            filter(request, response, chain);
        } catch (RuntimeException e) {
            LOG.error("request failed", e);
            if (!response.isCommitted()) {
                response.writeJsonError(500, "server_error", "the server could not handle this request");
            }
        } finally {
            response.finish();
        }
    }

    private void filter(HttpServletRequest request, SanitizingResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest forward = request;
        CallerInfo caller;
        try {
            hostOrigin.check(request);
            caller = bearer.authenticate(request);
            if ("POST".equalsIgnoreCase(request.getMethod())) {
                byte[] body = JsonRpcPeek.body(request);
                caller = beforeTheSdk(JsonRpcPeek.messages(body), caller);
                forward = new CachedBodyRequest(request, body);
            }
        } catch (HttpRejection r) {
            response.reject(r);
            return;
        }
        forward.setAttribute(CallerInfo.class.getName(), caller);
        chain.doFilter(forward, response);
    }

    /**
     * What must happen before the SDK takes the body: a scope refusal is an HTTP 403 only while no
     * response has started (the SDK answers a call on a stream whose status is already 200), and a
     * call's cancel signal must exist before its handler is scheduled, or a cancel that overtakes the
     * handler's start is lost.
     *
     * @return the caller, with the id of the body's {@code tools/call} when it has one
     */
    private CallerInfo beforeTheSdk(List<JsonRpcPeek.Message> messages, CallerInfo caller) throws HttpRejection {
        for (JsonRpcPeek.Message m : messages) {
            if (m.isToolCall()) {
                String tool = m.tool();
                LifeboatTool target = tool == null ? null : tools.get(tool);
                Scope needed = target == null ? null : target.scope(m.arguments());
                if (needed != null && !caller.has(needed)) {
                    throw new HttpRejection(
                            403,
                            "insufficient_scope",
                            "this token lacks the scope " + needed.id() + " needed by " + tool,
                            "Bearer realm=\"lifeboat\", error=\"insufficient_scope\", scope=\"" + needed.id() + "\"");
                }
                if (m.id() != null) {
                    cancels.open(caller.sessionKey(), m.id());
                    caller = caller.forRequest(m.id());
                }
            } else if (m.isCancellation()) {
                cancels.cancel(caller.sessionKey(), m.cancelledRequestId());
            }
        }
        return caller;
    }

    /** For the SDK's context extractor: the caller this filter authenticated. */
    public static CallerInfo caller(HttpServletRequest request) {
        Object c = request.getAttribute(CallerInfo.class.getName());
        return c instanceof CallerInfo ci ? ci : CallerInfo.from(null);
    }
}
