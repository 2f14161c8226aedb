package dev.lifeboat.mcp.transport;

import dev.lifeboat.mcp.auth.CallerInfo;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.server.McpHeaders;
import io.modelcontextprotocol.modern.server.McpRequestManager;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Newline-delimited JSON-RPC over stdin/stdout, replacing the SDK's stdio transport for three
 * reasons: a malformed line gets a -32700 (or -32600) reply and the server keeps reading; when stdin
 * closes, replies to requests already read are still written before {@link #serve()} returns (so
 * {@code lifeboat-mcp < session.jsonl} answers everything); and {@code notifications/cancelled} is
 * routed to the {@link CancelRegistry}, which the SDK does not do.
 */
public final class StdioTransport implements McpServerTransportProvider {
    private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);
    private static final int MAX_LINE = 16 * 1024 * 1024;
    static final String SESSION_KEY = "stdio";

    private final McpJsonMapper mcpMapper;
    private final JsonMapper plain = JsonMapper.builder().build();
    private final InputStream in;
    private final OutputStream out;
    private final CancelRegistry cancels;
    private final Object writeLock = new Object();
    private final Set<String> pending = new HashSet<>();
    private McpServerSession session;
    private volatile boolean outputBroken;
    private final TaskRequests tasks;
    private final java.util.function.Supplier<McpRequestManager> stateless;
    private McpRequestManager statelessServer; // made on first use, on the reading thread
    /** Task requests are answered off the reading thread: tasks/result waits for the work. */
    private final java.util.concurrent.ExecutorService taskReplies = TaskAnswers.pool("lifeboat-stdio-task");

    public StdioTransport(McpJsonMapper mapper, InputStream in, OutputStream out, CancelRegistry cancels) {
        this(mapper, in, out, cancels, null);
    }

    /** @param tasks answers the tasks utility's requests, which the SDK does not know; null: not offered */
    public StdioTransport(
            McpJsonMapper mapper, InputStream in, OutputStream out, CancelRegistry cancels, TaskRequests tasks) {
        this(mapper, in, out, cancels, tasks, null);
    }

    /**
     * @param stateless the server of the stateless revision, made on the first request that claims it
     *     (most clients never do: its start costs nothing then); null: only the session revisions
     */
    public StdioTransport(
            McpJsonMapper mapper,
            InputStream in,
            OutputStream out,
            CancelRegistry cancels,
            TaskRequests tasks,
            java.util.function.Supplier<McpRequestManager> stateless) {
        this.mcpMapper = mapper;
        this.in = in;
        this.out = out;
        this.cancels = cancels;
        this.tasks = tasks;
        this.stateless = stateless;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        this.session = sessionFactory.create(new SessionTransport());
    }

    /**
     * Reads and dispatches messages until stdin closes, then waits up to {@code drainLimit} for the
     * replies still owed and returns.
     */
    public void serve(Duration drainLimit) throws IOException {
        if (session == null) {
            throw new IllegalStateException("build the server on this transport before serving");
        }
        PushbackInputStream input = new PushbackInputStream(in, 1);
        String line;
        while ((line = readLine(input)) != null) {
            if (!line.isBlank()) {
                dispatch(line);
            }
        }
        LOG.debug("stdin closed; waiting for {} pending replies", pendingCount());
        long deadline = System.nanoTime() + drainLimit.toNanos();
        synchronized (pending) {
            while (!pending.isEmpty() && !outputBroken) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("stdin closed; giving up on {} replies after {}", pending.size(), drainLimit);
                    break;
                }
                try {
                    pending.wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    /** Whether the client has sent initialize: until then only ping is answered. */
    private volatile boolean initializeSeen;

    void dispatch(String line) {
        JsonNode node;
        try {
            node = plain.readTree(line);
        } catch (RuntimeException e) {
            writeError(null, McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the line is not valid JSON");
            return;
        }
        Object id = node != null && node.isObject() ? JsonRpcPeek.idOf(node.get("id")) : null;
        McpSchema.JSONRPCMessage message;
        try {
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            message = McpSchema.deserializeJsonRpcMessage(mcpMapper, line);
        } catch (IOException | RuntimeException e) {
            writeError(
                    id,
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Invalid Request: not a JSON-RPC 2.0 request, notification or response");
            return;
        }
        if (message instanceof McpSchema.JSONRPCNotification n && "notifications/cancelled".equals(n.method())) {
            Object requestId = n.params() instanceof Map<?, ?> p ? p.get("requestId") : null;
            boolean found = cancels.cancel(SESSION_KEY, requestId);
            LOG.debug("cancel for request {}: {}", requestId, found ? "cancelling" : "not running");
            return;
        }
        Object requestId = null;
        if (message instanceof McpSchema.JSONRPCRequest r
                && stateless != null
                && !McpSchema.METHOD_PING.equals(r.method())
                && Revisions.claimsStateless(node.get("params"))) {
            answerStateless(r.id(), r.method(), line);
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest r) {
            if (McpSchema.METHOD_PING.equals(r.method())) {
                // answered here: the SDK's session holds every request but initialize until the client
                // sent notifications/initialized, and the spec allows a ping at any time
                writeLine(plain.writeValueAsString(JsonRpcReply.result(r.id(), Map.of())));
                return;
            }
            if (McpSchema.METHOD_INITIALIZE.equals(r.method())) {
                initializeSeen = true;
            } else if (!initializeSeen) {
                // the lifecycle as over HTTP: nothing but ping before initialize (no tools/list, no tools/call)
                writeError(
                        r.id(),
                        McpSchema.ErrorCodes.INVALID_REQUEST,
                        "Invalid Request: the session is not initialized; send initialize first");
                return;
            }
            requestId = r.id();
            synchronized (pending) {
                pending.add(String.valueOf(r.id()));
            }
            if (tasks != null && TaskRequests.isTaskRequest(r.method(), node.get("params"))) {
                answerTask(r.id(), r.method(), node.get("params"));
                return;
            }
            if (McpSchema.METHOD_TOOLS_CALL.equals(r.method())) {
                cancels.open(SESSION_KEY, r.id());
            }
        }
        McpTransportContext context =
                CallerInfo.local("stdio", SESSION_KEY, requestId).toContext();
        session.handle(message)
                .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                .subscribe(null, e -> LOG.warn("message handling failed: {}", e.getMessage()));
    }

    /**
     * A request of the stateless revision, for its server: no initialize before it, no session; its
     * notifications (progress) and its answer are written as they come, and a {@code
     * notifications/cancelled} for a call reaches it as for a session's.
     */
    private void answerStateless(Object id, String method, String line) {
        if (statelessServer == null) {
            statelessServer = stateless.get();
        }
        JsonRpc.JSONRPCRequest request;
        try {
            request = (JsonRpc.JSONRPCRequest) JsonRpc.deserializeMessage(mcpMapper, line);
        } catch (IOException | RuntimeException e) {
            writeError(id, McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: " + e.getMessage());
            return;
        }
        synchronized (pending) {
            pending.add(String.valueOf(id));
        }
        if (McpSchema.METHOD_TOOLS_CALL.equals(method)) {
            cancels.open(SESSION_KEY, id);
        }
        McpTransportContext context = CallerInfo.local("stdio", SESSION_KEY, id)
                .toContext()
                .putAll(Map.of(McpHeaders.TRANSPORT_CONTEXT_KEY, McpHeaders.NOT_MIRRORED));
        statelessServer
                .handle(context, request)
                .flatMapMany(Revisions::messages)
                .subscribe(this::writeStateless, e -> {
                    LOG.warn("stateless request {} failed: {}", id, e.getMessage());
                    writeError(id, McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error");
                    answered(id);
                });
    }

    private void writeStateless(JsonRpc.JSONRPCMessage message) {
        writeJson(message);
        if (message instanceof JsonRpc.JSONRPCResponse r) {
            answered(r.id());
        }
    }

    private void answered(Object id) {
        cancels.close(SESSION_KEY, id);
        settled(id);
    }

    /** The request {@code id} has its answer: no longer pending, and whoever waits for the count is woken. */
    private void settled(Object id) {
        synchronized (pending) {
            pending.remove(String.valueOf(id));
            pending.notifyAll();
        }
    }

    private void answerTask(Object id, String method, JsonNode params) {
        CallerInfo caller = CallerInfo.local("stdio", SESSION_KEY, id);
        taskReplies.execute(() -> {
            writeLine(TaskAnswers.reply(tasks, id, method, params, caller, this::notifyClient));
            settled(id);
        });
    }

    /** A notification on stdout, for a task whose call has been answered (its progress). */
    private void notifyClient(String method, Map<String, Object> params) {
        Map<String, Object> notification = new java.util.LinkedHashMap<>();
        notification.put("jsonrpc", "2.0");
        notification.put("method", method);
        notification.put("params", params);
        writeLine(plain.writeValueAsString(notification));
    }

    private int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private void writeError(Object id, int code, String message) {
        writeLine(plain.writeValueAsString(JsonRpcReply.error(id, code, message, null)));
    }

    private void write(McpSchema.JSONRPCMessage message) {
        writeJson(message);
        if (message instanceof McpSchema.JSONRPCResponse r && r.id() != null) {
            settled(r.id());
        }
    }

    /** Writes a message of either the SDK's or the stateless revisions' kind as one line. */
    private void writeJson(Object message) {
        try {
            writeLine(mcpMapper.writeValueAsString(message));
        } catch (IOException e) {
            LOG.error("could not serialise a reply: {}", e.getMessage());
        }
    }

    private void writeLine(String json) {
        // the protocol is one message per line: a raw newline inside would split it
        String oneLine = json.replace("\r", "\\r").replace("\n", "\\n");
        byte[] bytes = (oneLine + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                if (!outputBroken) {
                    LOG.warn("stdout is closed; replies cannot be delivered");
                }
                outputBroken = true;
                synchronized (pending) {
                    pending.notifyAll();
                }
            }
        }
    }

    /** One line (LF or CRLF); an over-long line is skipped to its end and answered with a parse error. */
    private String readLine(PushbackInputStream input) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(256);
        boolean tooLong = false;
        int c;
        boolean any = false;
        while ((c = input.read()) != -1) {
            any = true;
            if (c == '\n') {
                break;
            }
            if (c == '\r') {
                int next = input.read();
                if (next != '\n' && next != -1) {
                    input.unread(next);
                }
                break;
            }
            if (buf.size() >= MAX_LINE) {
                tooLong = true;
            } else {
                buf.write(c);
            }
        }
        if (!any) {
            return null;
        }
        if (tooLong) {
            writeError(
                    null, McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: message longer than " + MAX_LINE + " bytes");
            return "";
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return session == null ? Mono.empty() : session.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return session == null ? Mono.empty() : session.closeGracefully();
    }

    private final class SessionTransport implements McpServerTransport {
        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromRunnable(() -> {
                if (message instanceof McpSchema.JSONRPCResponse r && r.id() != null) {
                    // the dispatcher closes the calls it ran; this also forgets those the SDK answered itself
                    cancels.close(SESSION_KEY, r.id());
                }
                write(message);
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return mcpMapper.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public void close() {}
    }
}
