package dev.lifeboat.mcp.transport;

import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.settings.HttpLimits;
import dev.lifeboat.mcp.settings.McpSettings;
import dev.lifeboat.mcp.tool.LifeboatTool;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards every HTTP request before the SDK sees it, in this order: Host (421) and Origin (403)
 * against DNS rebinding and cross-site calls ({@link HostOriginCheck}), the bearer token from the
 * Authorization header only (401, {@link BearerAuthentication}), the session a request names (404 when
 * it ended or expired, {@link SessionRegistry}), then for a POST the JSON-RPC body ({@link
 * JsonRpcPeek}): an {@code initialize} larger than its limit is refused (413), and one beyond the
 * session caps too (429 for the token, 503 for the server); a {@code tools/call} whose scope the token
 * lacks is refused (403 insufficient_scope), a {@code tools/call} gets its cancel signal and a {@code
 * notifications/cancelled} cancels the call it names. A legacy SSE connection counts as a session while
 * it is open. Error bodies, ours and the SDK's, leave as small JSON objects without stack traces
 * ({@link SanitizingResponse}). Methods, body size and body time are {@link RequestLimitHandler}'s,
 * before any servlet runs.
 */
public final class HttpSecurityFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurityFilter.class);
    private static final String SESSION_HEADER = "Mcp-Session-Id";

    private final HostOriginCheck hostOrigin;
    private final BearerAuthentication bearer;
    private final Map<String, LifeboatTool> tools;
    private final CancelRegistry cancels;
    private final SessionRegistry sessions;
    private final HttpLimits limits;
    private final TaskRequests tasks;
    /** Where tasks/result replies are awaited while the request's thread keeps its stream alive. */
    private final java.util.concurrent.ExecutorService taskWaits = TaskAnswers.pool("lifeboat-task-result");

    /** Sends a notification on a Streamable HTTP session's GET stream (the SDK transport's own). */
    @FunctionalInterface
    interface SessionNotifier {
        reactor.core.publisher.Mono<Void> notifyClient(String sessionId, String method, Object params);
    }

    private final SessionNotifier notifier;

    /**
     * @param tasks answers the tasks utility's requests on a Streamable HTTP session; null: not offered
     * @param notifier reaches a session after its task's call was answered (the task's progress)
     */
    HttpSecurityFilter(
            McpSettings settings,
            IntSupplier port,
            BearerAuthentication bearer,
            Map<String, LifeboatTool> tools,
            CancelRegistry cancels,
            SessionRegistry sessions,
            TaskRequests tasks,
            SessionNotifier notifier) {
        this.notifier = notifier;
        this.hostOrigin =
                new HostOriginCheck(settings.bind(), port, settings.allowedOrigins(), settings.allowedHosts());
        this.bearer = bearer;
        this.tools = Map.copyOf(tools);
        this.cancels = cancels;
        this.sessions = sessions;
        this.limits = settings.limits();
        this.tasks = tasks;
    }

    /** A task's notifications to the session that created it; none without a session. */
    private TaskRequests.Notices notices(String sessionId) {
        if (sessionId == null) {
            return TaskRequests.Notices.NONE;
        }
        return (method, params) -> notifier.notifyClient(sessionId, method, params)
                .subscribe(null, e -> LOG.debug("a task's notification did not reach its session: {}", e.getMessage()));
    }

    @Override
    public void destroy() {
        taskWaits.shutdownNow();
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
        String holder;
        String sessionId = null;
        SessionRegistry.Admission admission = null;
        boolean stateless;
        try {
            hostOrigin.check(request);
            BearerAuthentication.Authenticated who = bearer.authenticate(request);
            caller = who.caller();
            holder = who.holder();
            // the stateless revision has no session: its requests go to its own server (RevisionRouter)
            stateless = isStreamable(request) && Revisions.statelessHeader(request.getHeader("MCP-Protocol-Version"));
            if (isStreamable(request) && !stateless) {
                sessionId = request.getHeader(SESSION_HEADER);
                // a session made with another token answers as one that does not exist: its id is no
                // credential (MCP security best practices, "Session Hijacking": bind session ids to the user)
                if (sessionId != null && !sessions.touch(sessionId, holder)) {
                    throw new HttpRejection(
                            404, "session_not_found", "this session has ended or expired; initialize a new one", null);
                }
            }
            if ("/message".equals(request.getServletPath())) {
                // the legacy SSE transport's session id travels in the URL; it too answers only its opener
                String sse = request.getParameter("sessionId");
                if (sse != null && !sessions.sseHeldBy(sse, holder)) {
                    throw new HttpRejection(
                            404, "session_not_found", "this session has ended or expired; connect again", null);
                }
            }
            if ("POST".equalsIgnoreCase(request.getMethod())) {
                byte[] body = JsonRpcPeek.body(request, limits.maxRequestBytes());
                List<JsonRpcPeek.Message> messages = JsonRpcPeek.messages(body);
                stateless = stateless
                        || (isStreamable(request)
                                && messages.stream().anyMatch(m -> Revisions.claimsStateless(m.params())));
                if ("/message".equals(request.getServletPath())) {
                    sseLifecycle(request.getParameter("sessionId"), messages);
                }
                if (isStreamable(request)
                        && !stateless
                        && messages.stream().anyMatch(JsonRpcPeek.Message::isInitialize)) {
                    admission = admitInitialize(body, caller, holder);
                }
                JsonRpcPeek.Message task = taskRequest(request, sessionId, messages);
                if (task != null) {
                    // the SDK knows nothing of tasks: their requests are answered here, on the POST
                    TaskAnswers.overHttp(
                            tasks, task, caller.forRequest(task.id()), notices(sessionId), response, taskWaits);
                    return;
                }
                caller = beforeTheSdk(messages, caller, stateless);
                forward = new CachedBodyRequest(request, body);
            } else if ("GET".equalsIgnoreCase(request.getMethod()) && "/sse".equals(request.getServletPath())) {
                admission = sessions.admit(caller.subject(), holder);
            }
        } catch (HttpRejection | RuntimeException e) {
            if (admission != null) {
                admission.release(); // refused after its place was reserved (a scope in the same batch)
            }
            if (e instanceof HttpRejection r) {
                response.reject(r);
                return;
            }
            throw (RuntimeException) e;
        }
        forward.setAttribute(CallerInfo.class.getName(), caller);
        forward.setAttribute(Revisions.STATELESS_ATTRIBUTE, stateless);
        HttpServletResponse toSdk = admission == null ? response : new SessionIdCapture(response, admission);
        AtomicReference<String> sseId = new AtomicReference<>();
        if (admission != null && "GET".equalsIgnoreCase(request.getMethod())) {
            String opener = holder;
            toSdk = new SseIdCapture(toSdk, id -> {
                sseId.set(id);
                sessions.sseOpened(id, opener);
            });
        }
        try {
            chain.doFilter(forward, toSdk);
        } finally {
            settle(request, response, caller, sessionId, admission, sseId);
        }
    }

    private SessionRegistry.Admission admitInitialize(byte[] body, CallerInfo caller, String holder)
            throws HttpRejection {
        if (body.length > limits.maxInitializeBytes()) {
            throw new HttpRejection(
                    413,
                    "too_large",
                    "an initialize request is at most " + (limits.maxInitializeBytes() / 1024)
                            + " KiB: a session keeps its client's capabilities and information while it lasts",
                    null);
        }
        return sessions.admit(caller.subject(), holder);
    }

    /**
     * After the SDK: an SSE connection holds its place until its stream ends; an {@code initialize}
     * that made no session gives its place back; a deleted session leaves the registry; a call the SDK
     * refused (any answer from 400 up: a call's result travels on a 200 stream) never reached the
     * dispatcher that closes its cancel signal, so it is closed here.
     */
    private void settle(
            HttpServletRequest request,
            SanitizingResponse response,
            CallerInfo caller,
            String sessionId,
            SessionRegistry.Admission admission,
            AtomicReference<String> sseId) {
        if (caller.requestId() != null && response.getStatus() >= 400) {
            cancels.close(caller.sessionKey(), caller.requestId());
        }
        if (admission != null) {
            if ("GET".equalsIgnoreCase(request.getMethod()) && request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new ReleaseWhenDone(admission, () -> {
                    String id = sseId.get();
                    if (id != null) {
                        sessions.sseClosed(id);
                    }
                }));
            } else {
                admission.release(); // nothing when the SDK named a session for it
                if (sseId.get() != null) {
                    sessions.sseClosed(sseId.get());
                }
            }
        }
        if (sessionId != null && "DELETE".equalsIgnoreCase(request.getMethod()) && response.getStatus() < 300) {
            sessions.ended(sessionId);
        }
    }

    /**
     * The legacy SSE session's lifecycle as the SDK's session needs it: it holds every request but
     * initialize until the client sent notifications/initialized (ping too, though the spec allows ping
     * at any time), and its SSE servlet waits for each message's handling on the request's thread. A
     * request sent too early would hold a thread for as long as the client never sends it: it is refused.
     */
    private void sseLifecycle(String sse, List<JsonRpcPeek.Message> messages) throws HttpRejection {
        if (sse == null) {
            return;
        }
        if (messages.stream().anyMatch(m -> "notifications/initialized".equals(m.method()))) {
            sessions.sseInitialized(sse);
        } else if (!sessions.isSseInitialized(sse)
                && messages.stream().anyMatch(m -> m.id() != null && m.method() != null && !m.isInitialize())) {
            throw new HttpRejection(
                    400,
                    "not_initialized",
                    "this session is not initialized: send initialize, then the notifications/initialized"
                            + " notification, before any other request (ping included)",
                    null);
        }
    }

    /** The body's one request of the tasks utility, on a live Streamable HTTP session; else null. */
    private JsonRpcPeek.Message taskRequest(
            HttpServletRequest request, String sessionId, List<JsonRpcPeek.Message> messages) {
        if (tasks == null || sessionId == null || !isStreamable(request) || messages.size() != 1) {
            return null;
        }
        JsonRpcPeek.Message m = messages.get(0);
        return m.id() != null && TaskRequests.isTaskRequest(m.method(), m.params()) ? m : null;
    }

    /** Whether the request goes to the Streamable HTTP servlet (by its mapping, whatever the raw URI). */
    private static boolean isStreamable(HttpServletRequest request) {
        return "/mcp".equals(request.getServletPath());
    }

    /**
     * What must happen before the SDK takes the body: a scope refusal is an HTTP 403 only while no
     * response has started (the SDK answers a call on a stream whose status is already 200), and a
     * call's cancel signal must exist before its handler is scheduled, or a cancel that overtakes the
     * handler's start is lost.
     *
     * @return the caller, with the id of the body's {@code tools/call} when it opened its signal
     */
    private CallerInfo beforeTheSdk(List<JsonRpcPeek.Message> messages, CallerInfo caller, boolean stateless)
            throws HttpRejection {
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
                // only a call the SDK will hand to a tool gets a signal: the SDK answers a batch and an
                // unknown tool itself, and a signal no handler closes would stay for a day
                // a stateless call has no session to key its signal by: its client ends it by going away
                if (m.id() != null && target != null && messages.size() == 1 && !stateless) {
                    cancels.open(caller.sessionKey(), m.id());
                    caller = caller.forRequest(m.id());
                }
            } else if (m.isCancellation() && !stateless) {
                cancels.cancel(caller.sessionKey(), m.cancelledRequestId());
            }
        }
        return caller;
    }

    /** Binds the reserved place to the session id the SDK sets, before the answer reaches the client. */
    private static final class SessionIdCapture extends HttpServletResponseWrapper {
        private final SessionRegistry.Admission admission;

        SessionIdCapture(HttpServletResponse response, SessionRegistry.Admission admission) {
            super(response);
            this.admission = admission;
        }

        @Override
        public void setHeader(String name, String value) {
            if (SESSION_HEADER.equalsIgnoreCase(name)) {
                admission.bind(value);
            }
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            if (SESSION_HEADER.equalsIgnoreCase(name)) {
                admission.bind(value);
            }
            super.addHeader(name, value);
        }
    }

    /**
     * Learns the legacy SSE session's id from the stream the SDK writes ({@code data:
     * /message?sessionId=...} in its first event), before the client can read it: the SDK keeps the id
     * to itself, and a message for that id must come with the credential that opened the stream.
     */
    private static final class SseIdCapture extends HttpServletResponseWrapper {
        private static final Pattern SESSION_ID = Pattern.compile("sessionId=([0-9A-Za-z-]+)");
        private final java.util.function.Consumer<String> found;
        private PrintWriter writer;

        SseIdCapture(HttpServletResponse response, java.util.function.Consumer<String> found) {
            super(response);
            this.found = found;
        }

        @Override
        public synchronized PrintWriter getWriter() throws IOException {
            if (writer == null) {
                PrintWriter real = super.getWriter();
                writer =
                        new PrintWriter(new Writer() {
                            private StringBuilder seen = new StringBuilder();

                            @Override
                            public void write(char[] chars, int off, int len) {
                                if (seen != null) {
                                    seen.append(chars, off, len);
                                    Matcher m = SESSION_ID.matcher(seen);
                                    if (m.find()) {
                                        found.accept(m.group(1));
                                        seen = null;
                                    } else if (seen.length() > 4096) {
                                        seen = null; // not the endpoint event: stop looking
                                    }
                                }
                                real.write(chars, off, len);
                            }

                            @Override
                            public void flush() {
                                real.flush();
                            }

                            @Override
                            public void close() {
                                real.close();
                            }
                        }) {
                            @Override
                            public boolean checkError() {
                                return super.checkError() || real.checkError();
                            }
                        };
            }
            return writer;
        }
    }

    /** Gives an SSE connection's place back when its stream ends, however it ends, and forgets its session. */
    private record ReleaseWhenDone(SessionRegistry.Admission admission, Runnable closed) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            ended();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            ended();
        }

        @Override
        public void onError(AsyncEvent event) {
            ended();
        }

        private void ended() {
            admission.release();
            closed.run();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /** For the SDK's context extractor: the caller this filter authenticated. */
    public static CallerInfo caller(HttpServletRequest request) {
        Object c = request.getAttribute(CallerInfo.class.getName());
        return c instanceof CallerInfo ci ? ci : CallerInfo.from(null);
    }
}
