package dev.lifeboat.mcp.transport;

import dev.lifeboat.core.base.Redactor;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets successful (streaming) responses through untouched; an error response is captured and
 * rewritten to a small JSON body, because the SDK serialises exceptions with their stack traces.
 */
final class SanitizingResponse extends HttpServletResponseWrapper {
    /** The filter's logger: its lines read as they always have. */
    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurityFilter.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    /**
     * Answers a refused request: the challenge, {@code Connection: close} and the small JSON body. The
     * request body is left unread, so the connection is closed: a client must not reuse one the server
     * is about to drop (a reused connection would see no response at all).
     */
    void reject(HttpRejection rejection) throws IOException {
        if (rejection.challenge() != null) {
            setHeader("WWW-Authenticate", rejection.challenge());
        }
        if (rejection.retryAfterSeconds() >= 0) {
            setHeader("Retry-After", Long.toString(rejection.retryAfterSeconds()));
        }
        setHeader("Connection", "close");
        writeJsonError(rejection.status(), rejection.error(), rejection.getMessage());
    }

    /** Replaces whatever was captured with {@code {"error": error, "message": message}}. */
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
        Object rpcId = null;
        Object rpcData = null;
        try {
            JsonNode n = JSON.readTree(captured.toByteArray());
            JsonNode rpc = n.path("jsonRpcError");
            JsonNode response = n.path("error");
            if (n.path("jsonrpc").isString()
                    && response.isObject()
                    && response.path("code").isInt()) {
                // a JSON-RPC error response, as the stateless server answers on an HTTP error status: its
                // client reads the code (and the versions a -32022 names in its data)
                rpcCode = response.path("code").asInt();
                message = response.path("message").asString(message);
                rpcId = JSON.treeToValue(n.path("id"), Object.class);
                rpcData = response.has("data") ? JSON.treeToValue(response.get("data"), Object.class) : null;
            } else if (rpc.isObject()) {
                message = rpc.path("message").asString(message);
                rpcCode = rpc.path("code").isInt() ? rpc.path("code").asInt() : null;
            } else if (n.path("message").isString()) {
                message = n.path("message").asString();
            }
        } catch (RuntimeException e) {
            // not JSON: keep the sendError message, if any
        }
        if (rpcCode != null) {
            writeBody(JSON.writeValueAsString(JsonRpcReply.error(rpcId, rpcCode, firstLine(message), rpcData)));
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
        return Redactor.global().redact(line.length() > 300 ? line.substring(0, 300) : line);
    }

    private static String reason(int sc) {
        return switch (sc) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "too_large";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            default -> sc >= 500 ? "server_error" : "error";
        };
    }
}
