package dev.lifeboat.mcp.transport;

import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import dev.lifeboat.mcp.auth.TokenEntry;
import dev.lifeboat.mcp.tool.LifeboatTool;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards every HTTP request before the SDK sees it: Host (421) and Origin (403) against DNS
 * rebinding and cross-site calls, bearer tokens from the Authorization header only (401), the scope
 * a called tool needs (403 insufficient_scope). It also reads the JSON-RPC body once to note which
 * request a {@code tools/call} is and to route {@code notifications/cancelled}, and replaces error
 * bodies so no stack trace leaves the server.
 */
public final class HttpSecurityFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurityFilter.class);
    private static final int MAX_BODY = 4 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TokenAuthenticator tokens;
    private final Map<String, LifeboatTool> tools;
    private final CancelRegistry cancels;
    private final String bindHost;
    private final IntSupplier port;
    private final List<String> extraOrigins;
    private final List<String> extraHosts;

    public HttpSecurityFilter(
            TokenAuthenticator tokens,
            Map<String, LifeboatTool> tools,
            CancelRegistry cancels,
            String bindHost,
            IntSupplier port,
            List<String> extraOrigins,
            List<String> extraHosts) {
        this.tokens = tokens;
        this.tools = Map.copyOf(tools);
        this.cancels = cancels;
        this.bindHost = bindHost;
        this.port = port;
        this.extraOrigins =
                extraOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
        this.extraHosts =
                extraHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
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
        if (!hostAllowed(request.getHeader("Host"))) {
            reject(response, 421, "misdirected_request", "this server does not answer for that Host", null);
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(origin)) {
            reject(response, 403, "forbidden_origin", "requests from this Origin are not allowed", null);
            return;
        }
        CallerInfo caller;
        String transport = request.getRequestURI().startsWith("/mcp") ? "http" : "sse";
        String sessionKey = transport + ":"
                + ("http".equals(transport) ? request.getHeader("Mcp-Session-Id") : request.getParameter("sessionId"));
        if (tokens.enabled()) {
            String auth = request.getHeader("Authorization");
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String why = hasQueryToken(request)
                        ? "tokens are accepted only in the Authorization header, never in the URL"
                        : "a bearer token is required";
                reject(response, 401, "unauthorized", why, "Bearer realm=\"lifeboat\"");
                return;
            }
            Optional<TokenEntry> entry = tokens.authenticate(auth.substring(7).trim());
            if (entry.isEmpty()) {
                reject(
                        response,
                        401,
                        "invalid_token",
                        "the bearer token is not valid",
                        "Bearer realm=\"lifeboat\", error=\"invalid_token\"");
                return;
            }
            caller =
                    new CallerInfo(transport, entry.get().subject(), entry.get().scopes(), sessionKey, null);
        } else {
            // loopback without tokens: the local user, as with stdio (a non-loopback bind refuses to start)
            caller = new CallerInfo(transport, "local-http", EnumSet.allOf(Scope.class), sessionKey, null);
        }

        HttpServletRequest forward = request;
        if ("POST".equalsIgnoreCase(request.getMethod())) {
            byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                reject(response, 413, "too_large", "the request body is too large", null);
                return;
            }
            List<JsonNode> messages = parse(body);
            for (JsonNode m : messages) {
                String method = text(m.get("method"));
                if ("tools/call".equals(method)) {
                    String tool = m.path("params").path("name").isString()
                            ? m.path("params").path("name").asString()
                            : null;
                    LifeboatTool target = tool == null ? null : tools.get(tool);
                    Scope needed = target == null
                            ? null
                            : target.scope(arguments(m.path("params").get("arguments")));
                    if (needed != null && !caller.has(needed)) {
                        reject(
                                response,
                                403,
                                "insufficient_scope",
                                "this token lacks the scope " + needed.id() + " needed by " + tool,
                                "Bearer realm=\"lifeboat\", error=\"insufficient_scope\", scope=\"" + needed.id()
                                        + "\"");
                        return;
                    }
                    Object id = id(m.get("id"));
                    if (id != null) {
                        cancels.open(sessionKey, id);
                        caller = new CallerInfo(caller.transport(), caller.subject(), caller.scopes(), sessionKey, id);
                    }
                } else if ("notifications/cancelled".equals(method)) {
                    cancels.cancel(sessionKey, id(m.path("params").get("requestId")));
                }
            }
            forward = new CachedBodyRequest(request, body);
        }
        forward.setAttribute(CallerInfo.class.getName(), caller);
        chain.doFilter(forward, response);
    }

    /** For the SDK's context extractor: the caller this filter authenticated. */
    public static CallerInfo caller(HttpServletRequest request) {
        Object c = request.getAttribute(CallerInfo.class.getName());
        return c instanceof CallerInfo ci ? ci : CallerInfo.from(null);
    }

    private static boolean hasQueryToken(HttpServletRequest request) {
        String q = request.getQueryString();
        return q != null && q.toLowerCase(Locale.ROOT).matches("(^|.*&)(access_token|token|bearer)=.*");
    }

    private static List<JsonNode> parse(byte[] body) {
        List<JsonNode> out = new ArrayList<>();
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isArray()) {
                n.forEach(out::add);
            } else if (n != null && n.isObject()) {
                out.add(n);
            }
        } catch (RuntimeException e) {
            // malformed bodies are the SDK's to answer; there is nothing to authorise in them
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> arguments(JsonNode args) {
        if (args == null || !args.isObject()) {
            return Map.of();
        }
        return JSON.convertValue(args, Map.class);
    }

    private static Object id(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        if (id.isIntegralNumber()) {
            return id.asLong();
        }
        return id.isString() ? id.asString() : null;
    }

    private static String text(JsonNode n) {
        return n != null && n.isString() ? n.asString() : null;
    }

    boolean hostAllowed(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        String name = h;
        String portPart = null;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return false;
            }
            name = h.substring(0, end + 1);
            portPart = h.length() > end + 2 && h.charAt(end + 1) == ':' ? h.substring(end + 2) : null;
        } else if (h.indexOf(':') >= 0) {
            name = h.substring(0, h.indexOf(':'));
            portPart = h.substring(h.indexOf(':') + 1);
        }
        if (portPart != null && !portPart.equals(String.valueOf(port.getAsInt()))) {
            return extraHosts.contains(h);
        }
        return localNames().contains(name) || extraHosts.contains(name) || extraHosts.contains(h);
    }

    boolean originAllowed(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.equals("null") || o.isEmpty()) {
            return false;
        }
        if (extraOrigins.contains(o)) {
            return true;
        }
        try {
            URI u = URI.create(o);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                return false;
            }
            String hostName = u.getHost();
            if (hostName == null) {
                return false;
            }
            if (hostName.contains(":") && !hostName.startsWith("[")) {
                hostName = "[" + hostName + "]";
            }
            return u.getPort() == port.getAsInt() && localNames().contains(hostName);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Set<String> localNames() {
        String b = bindHost.toLowerCase(Locale.ROOT);
        if (b.contains(":") && !b.startsWith("[")) {
            b = "[" + b + "]";
        }
        return Set.copyOf(List.of("localhost", "127.0.0.1", "[::1]", b));
    }

    private static void reject(SanitizingResponse response, int status, String error, String message, String challenge)
            throws IOException {
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        // the request body is left unread: close the connection so a client cannot reuse one the
        // server is about to drop (a reused connection would see no response at all)
        response.setHeader("Connection", "close");
        response.writeJsonError(status, error, message);
    }

    /** Re-supplies a body the filter already read. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }

                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    /**
     * Lets successful (streaming) responses through untouched; an error response is captured and
     * rewritten to a small JSON body, because the SDK serialises exceptions with their stack traces.
     */
    static final class SanitizingResponse extends HttpServletResponseWrapper {
        private ByteArrayOutputStream captured;
        private PrintWriter capturedWriter;
        private int status = 200;
        private String sendErrorMessage;
        private boolean finished;

        SanitizingResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            this.status = sc;
            super.setStatus(sc);
        }

        @Override
        public void sendError(int sc, String msg) {
            this.status = sc;
            this.sendErrorMessage = msg;
            super.setStatus(sc);
            capture();
        }

        @Override
        public void sendError(int sc) {
            sendError(sc, null);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (status < 400) {
                return super.getOutputStream();
            }
            capture();
            ByteArrayOutputStream sink = captured;
            return new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("blocking writes only");
                }

                @Override
                public void write(int b) {
                    sink.write(b);
                }
            };
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (status < 400) {
                return super.getWriter();
            }
            capture();
            return capturedWriter;
        }

        private void capture() {
            if (captured == null) {
                captured = new ByteArrayOutputStream();
                capturedWriter = new PrintWriter(new OutputStreamWriter(captured, StandardCharsets.UTF_8), true);
            }
        }

        void writeJsonError(int sc, String error, String message) throws IOException {
            this.status = sc;
            super.setStatus(sc);
            captured = null;
            finished = true;
            write(sc, error, message);
        }

        /** Writes the sanitized body for a captured error response. */
        void finish() throws IOException {
            if (finished || captured == null) {
                return;
            }
            finished = true;
            capturedWriter.flush();
            String message = sendErrorMessage;
            Integer rpcCode = null;
            try {
                JsonNode n = JSON.readTree(captured.toByteArray());
                JsonNode rpc = n.path("jsonRpcError");
                if (rpc.isObject()) {
                    message = rpc.path("message").asString(message);
                    rpcCode = rpc.path("code").isInt() ? rpc.path("code").asInt() : null;
                } else if (n.path("message").isString()) {
                    message = n.path("message").asString();
                }
            } catch (RuntimeException e) {
                // not JSON: keep the sendError message, if any
            }
            if (rpcCode != null) {
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("code", rpcCode);
                err.put("message", firstLine(message));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("jsonrpc", "2.0");
                body.put("id", null);
                body.put("error", err);
                writeBody(JSON.writeValueAsString(body));
            } else {
                write(status, reason(status), message);
            }
        }

        private void write(int sc, String error, String message) throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", error);
            if (message != null) {
                body.put("message", firstLine(message));
            }
            writeBody(JSON.writeValueAsString(body));
        }

        private void writeBody(String json) throws IOException {
            HttpServletResponse r = (HttpServletResponse) getResponse();
            if (r.isCommitted()) {
                LOG.debug("error response already committed");
                return;
            }
            r.resetBuffer();
            r.setContentType("application/json");
            r.setCharacterEncoding("UTF-8");
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            r.setContentLength(bytes.length);
            r.getOutputStream().write(bytes);
            r.flushBuffer();
        }

        private static String firstLine(String s) {
            if (s == null) {
                return null;
            }
            String line = s.lines().findFirst().orElse("");
            return dev.lifeboat.core.base.Redactor.global().redact(line.length() > 300 ? line.substring(0, 300) : line);
        }

        private static String reason(int sc) {
            return switch (sc) {
                case 400 -> "bad_request";
                case 401 -> "unauthorized";
                case 403 -> "forbidden";
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 413 -> "too_large";
                case 503 -> "unavailable";
                default -> sc >= 500 ? "server_error" : "error";
            };
        }
    }
}
