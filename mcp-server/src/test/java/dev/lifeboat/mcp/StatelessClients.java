package dev.lifeboat.mcp;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.McpSyncElicitationHandler;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpClientTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;
import io.modelcontextprotocol.modern.client.transport.StdioMcpClientTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Clients of the stateless 2026-07-28 revision: the Java SDK's own ({@code
 * io.modelcontextprotocol.modern.client}), over Streamable HTTP with a bearer token or over a spawned
 * stdio server, and with a person at the client when a test gives one.
 */
final class StatelessClients {
    private StatelessClients() {}

    /** A client of the server at {@code base} ({@code http://127.0.0.1:port}), sending {@code bearer}. */
    static McpSyncClient http(
            String base, String bearer, McpSyncElicitationHandler<McpSchema.ElicitFormRequest> person) {
        return client(
                HttpClientMcpTransport.builder(base + "/mcp")
                        .requestCustomizer(McpHttpRequestCustomizer.fromSync(
                                (request, headers, context) -> headers.set("Authorization", "Bearer " + bearer)))
                        .build(),
                person);
    }

    /** A stdio server spawned on {@code configFile} with {@code env}; close it when done. */
    static StdioMcpClientTransport stdio(Path configFile, Map<String, String> env, Consumer<String> stderr) {
        List<String> command = McpClients.serverCommand(configFile);
        return StdioMcpClientTransport.builder(ServerParameters.builder(command.get(0))
                        .args(command.subList(1, command.size()))
                        .env(new HashMap<>(env))
                        .build())
                .jsonMapper(McpJsonDefaults.getMapper())
                .stderrConsumer(stderr)
                .start();
    }

    /** A client over {@code transport}; with {@code person}, one that declares form elicitation. */
    static McpSyncClient client(
            McpClientTransport transport, McpSyncElicitationHandler<McpSchema.ElicitFormRequest> person) {
        McpClient.SyncBuilder b = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("lifeboat-tests", null, "1", null, null, null))
                .roundTimeout(Duration.ofMinutes(2));
        if (person != null) {
            b.formElicitation(person);
        }
        return b.build();
    }

    /** The version claim every request of the revision carries in its {@code _meta}, with no capabilities. */
    static Map<String, Object> claim() {
        return Map.of(
                "io.modelcontextprotocol/protocolVersion",
                "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities",
                Map.of());
    }

    /**
     * A raw request of the revision over HTTP, as its clients send it: the version claimed in {@code
     * _meta} (beside what {@code params._meta} holds) and the headers the revision requires.
     */
    static java.net.http.HttpRequest raw(String base, String bearer, String method, Map<String, Object> params) {
        Map<String, Object> p = new java.util.LinkedHashMap<>(params);
        Map<String, Object> meta = new java.util.LinkedHashMap<>(claim());
        if (params.get("_meta") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> meta.put(String.valueOf(k), v));
        }
        p.put("_meta", meta);
        String body;
        try {
            body = McpJsonDefaults.getMapper()
                    .writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/mcp"))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", method);
        if (params.get("name") instanceof String name) {
            b.header("Mcp-Name", name);
        }
        return b.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static String text(McpSchema.CallToolResult r) {
        return r.content().stream()
                .filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text())
                .findFirst()
                .orElse("");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(McpSchema.CallToolResult r) {
        return (Map<String, Object>) r.structuredContent();
    }
}
