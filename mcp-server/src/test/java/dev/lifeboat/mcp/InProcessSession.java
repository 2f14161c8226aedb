package dev.lifeboat.mcp;

import dev.lifeboat.mcp.tool.LifeboatTool;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real stdio server ({@link McpServerRunner#serveStdio}) in this JVM, driven line by line: what a
 * client sends and receives on the wire, without spawning a process.
 */
final class InProcessSession implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OutputStream toServer;
    private final Thread server;
    private final Thread reader;
    private final Map<String, CompletableFuture<Map<String, Object>>> replies = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Every notification the server sent (progress, log messages), in order. */
    final List<Map<String, Object>> notifications = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The server's reply to initialize. */
    final Map<String, Object> initialized;

    @SuppressWarnings("unchecked")
    InProcessSession(List<LifeboatTool> tools) throws IOException {
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        this.toServer = Channels.newOutputStream(in.sink());
        this.server = new Thread(
                () -> {
                    try (OutputStream serverOut = Channels.newOutputStream(out.sink())) {
                        McpServerRunner.serveStdio(
                                tools, Channels.newInputStream(in.source()), serverOut, Duration.ofSeconds(30));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                "in-process-mcp-server");
        this.reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            Map<String, Object> m = JSON.readValue(line, Map.class);
                            Object id = m.get("id");
                            if (id != null && (m.containsKey("result") || m.containsKey("error"))) {
                                replies.computeIfAbsent(String.valueOf(id), k -> new CompletableFuture<>())
                                        .complete(m);
                            } else if (id == null && m.containsKey("method")) {
                                notifications.add(m);
                            }
                        }
                    } catch (IOException e) {
                        // the server closed its output
                    }
                },
                "in-process-mcp-reader");
        server.start();
        reader.start();
        Map<String, Object> init = new LinkedHashMap<>();
        init.put("protocolVersion", "2025-06-18");
        init.put("capabilities", Map.of());
        init.put("clientInfo", Map.of("name", "in-process-test", "version", "1"));
        this.initialized = request("initialize", init);
        notify("notifications/initialized", null);
    }

    /** Sends a request and returns its whole reply ({@code result} or {@code error}). */
    Map<String, Object> request(String method, Object params) {
        return await(send(method, params));
    }

    /** Sends a request and returns its id, without waiting. */
    String send(String method, Object params) {
        String id = "r" + ids.incrementAndGet();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        if (params != null) {
            m.put("params", params);
        }
        replies.computeIfAbsent(id, k -> new CompletableFuture<>());
        write(m);
        return id;
    }

    Map<String, Object> await(String id) {
        try {
            return replies.get(id).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no reply to request " + id, e);
        }
    }

    void notify(String method, Object params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("method", method);
        if (params != null) {
            m.put("params", params);
        }
        write(m);
    }

    /** The tools as {@code tools/list} serves them, by name. */
    Map<String, McpSchema.Tool> tools() {
        McpSchema.ListToolsResult list = McpJsonDefaults.getMapper()
                .convertValue(result(request("tools/list", Map.of())), McpSchema.ListToolsResult.class);
        Map<String, McpSchema.Tool> byName = new LinkedHashMap<>();
        list.tools().forEach(t -> byName.put(t.name(), t));
        return byName;
    }

    McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
        return toolResult(request("tools/call", Map.of("name", tool, "arguments", arguments)));
    }

    String sendCall(String tool, Map<String, Object> arguments) {
        return send("tools/call", Map.of("name", tool, "arguments", arguments));
    }

    /** A call with a progress token, without waiting. */
    String sendCall(String tool, Map<String, Object> arguments, String progressToken) {
        return send(
                "tools/call",
                Map.of("name", tool, "arguments", arguments, "_meta", Map.of("progressToken", progressToken)));
    }

    static McpSchema.CallToolResult toolResult(Map<String, Object> reply) {
        return McpJsonDefaults.getMapper().convertValue(result(reply), new TypeRef<McpSchema.CallToolResult>() {});
    }

    private static Object result(Map<String, Object> reply) {
        if (!reply.containsKey("result")) {
            throw new AssertionError("a JSON-RPC error instead of a result: " + reply);
        }
        return reply.get("result");
    }

    private void write(Map<String, Object> message) {
        byte[] line = (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (toServer) {
            try {
                toServer.write(line);
                toServer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        toServer.close(); // stdin EOF: the server answers what it owes and returns
        server.join(60_000);
        reader.join(10_000);
    }
}
