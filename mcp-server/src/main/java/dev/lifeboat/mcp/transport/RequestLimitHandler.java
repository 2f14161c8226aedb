package dev.lifeboat.mcp.transport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import tools.jackson.databind.json.JsonMapper;

/**
 * In front of the servlets, on Jetty's own API, what must happen before any servlet code runs:
 *
 * <ul>
 *   <li>only the methods the MCP transports use, GET, POST and DELETE, are let in; TRACE, OPTIONS,
 *       HEAD, PUT and the rest get 405 and nothing of the request is echoed (there is no CORS
 *       preflight to answer: the server sends no CORS headers);
 *   <li>a POST announcing a body over the limit gets 413 before a byte of it is read;
 *   <li>a POST body is read without a thread, as it arrives, and only for a caller whose bearer token
 *       is valid (the others are refused by {@link HttpSecurityFilter} without their body being read):
 *       a body growing past the limit (chunked, or longer than announced) gets 413, one not complete
 *       within the body timeout gets 408 and its connection is closed. The servlets then read the
 *       whole body from memory and never block on a slow client.
 * </ul>
 *
 * The Jetty thread that would have waited for a slow body, in a blocking servlet read, is what 300
 * slow connections used to exhaust.
 */
final class RequestLimitHandler extends Handler.Wrapper {
    static final Set<String> METHODS = Set.of("GET", "POST", "DELETE");
    static final String ALLOW = "GET, POST, DELETE";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Predicate<String> mayBuffer;
    private final int maxBytes;
    private final long timeoutNanos;

    /**
     * @param mayBuffer whether a request with this {@code Authorization} value (or null) may have its
     *     body read ahead
     */
    RequestLimitHandler(Handler next, Predicate<String> mayBuffer, int maxBytes, Duration bodyTimeout) {
        super(next);
        this.mayBuffer = mayBuffer;
        this.maxBytes = maxBytes;
        this.timeoutNanos = bodyTimeout.toNanos();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!METHODS.contains(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, ALLOW);
            return refuse(
                    response,
                    callback,
                    405,
                    "method_not_allowed",
                    "this server answers " + ALLOW + " only (the MCP Streamable HTTP and SSE transports)");
        }
        if (!"POST".equals(method)) {
            return super.handle(request, response, callback);
        }
        long announced = request.getLength();
        if (announced > maxBytes) {
            return tooLarge(response, callback);
        }
        if (announced == 0 || !mayBuffer.test(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return super.handle(request, response, callback);
        }
        new BodyReader(request, response, callback).start();
        return true;
    }

    private boolean tooLarge(Response response, Callback callback) {
        return refuse(
                response,
                callback,
                413,
                "too_large",
                "the request body is larger than " + (maxBytes / 1024) + " KiB, the most this server reads");
    }

    /** Answers with a small JSON body and closes the connection (a body may be left unread). */
    static boolean refuse(Response response, Callback callback, int status, String error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    /**
     * Reads one body into memory as its chunks arrive (each copied and released at once, so a client
     * sending a byte at a time cannot pin network buffers), then hands the request on. Whichever comes
     * first decides: the last chunk, the limit, a failure, or the deadline.
     */
    private final class BodyReader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final AtomicBoolean decided = new AtomicBoolean();
        private Scheduler.Task deadline;

        BodyReader(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void start() {
            long left = timeoutNanos - (System.nanoTime() - request.getHeadersNanoTime());
            deadline = request.getComponents()
                    .getScheduler()
                    .schedule(this::timedOut, Math.max(left, 1_000_000L), TimeUnit.NANOSECONDS);
            run();
        }

        /** Reads what has arrived; asks to be called again when more does. */
        @Override
        public void run() {
            while (!decided.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    if (decide()) {
                        callback.failed(chunk.getFailure());
                    }
                    return;
                }
                boolean last = chunk.isLast();
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = bytes.remaining();
                if (body.size() + (long) n > maxBytes) {
                    chunk.release();
                    if (decide()) {
                        tooLarge(response, callback);
                    }
                    return;
                }
                if (n > 0) {
                    byte[] copy = new byte[n];
                    bytes.get(copy);
                    body.write(copy, 0, n);
                }
                chunk.release();
                if (last) {
                    if (decide()) {
                        handOn();
                    }
                    return;
                }
            }
        }

        private boolean decide() {
            if (!decided.compareAndSet(false, true)) {
                return false;
            }
            if (deadline != null) {
                deadline.cancel();
            }
            return true;
        }

        private void timedOut() {
            if (decided.compareAndSet(false, true)) {
                refuse(
                        response,
                        callback,
                        408,
                        "request_timeout",
                        "the request body did not arrive within " + (timeoutNanos / 1_000_000_000L) + " s");
            }
        }

        private void handOn() {
            Request buffered = new BufferedBodyRequest(request, body.toByteArray());
            try {
                if (!getHandler().handle(buffered, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable t) {
                Response.writeError(request, response, callback, t);
            }
        }
    }

    /** The request with its body already in memory: one last chunk, then end of content. */
    private static final class BufferedBodyRequest extends Request.Wrapper {
        private final AtomicReference<Content.Chunk> pending;

        BufferedBodyRequest(Request wrapped, byte[] body) {
            super(wrapped);
            this.pending = new AtomicReference<>(Content.Chunk.from(ByteBuffer.wrap(body), true));
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk c = pending.getAndSet(null);
            return c != null ? c : Content.Chunk.EOF;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run(); // the body, or its end, is always there to read
        }
    }
}
