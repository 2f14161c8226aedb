package dev.lifeboat.mcp;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.tool.ErrorResult;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SDK's client, for scripts: {@code lifeboat mcp call|tools}. It spawns this very server over
 * stdio, or talks to a running one over HTTP (a URL ending in {@code /sse} uses the legacy SSE
 * transport, anything else Streamable HTTP).
 */
public final class McpToolClient implements AutoCloseable {
    /** The {@code CODE: } that starts the text of a Lifeboat error result. */
    private static final Pattern TEXT_CODE = Pattern.compile("([A-Z][A-Z_]{2,40}): ");

    private final McpSyncClient client;

    private McpToolClient(McpClientTransport transport, Consumer<String> messages) {
        this.client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("lifeboat-cli", LifeboatMcpServer.version()))
                .requestTimeout(Duration.ofHours(12))
                .loggingConsumer(n -> messages.accept(n.level() + " " + n.data()))
                .progressConsumer(
                        n -> messages.accept("progress " + n.progress().longValue()
                                + (n.total() == null ? "" : "/" + n.total().longValue())
                                + (n.message() == null ? "" : " " + n.message())))
                .build();
        client.initialize();
    }

    /** Spawns {@code java -cp <this classpath> McpMain [--config file]} and talks to it over stdio. */
    public static McpToolClient stdio(Path config, Map<String, String> env, Consumer<String> messages) {
        List<String> args =
                new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), McpMain.class.getName()));
        if (config != null) {
            args.add("--config");
            args.add(config.toString());
        }
        ServerParameters params = ServerParameters.builder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .args(args)
                .env(env)
                .build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        // the server's own log lines stay on our stderr, where the user can read them
        transport.setStdErrorHandler(System.err::println);
        return new McpToolClient(transport, messages);
    }

    /** Connects to a running server; the token (if any) goes in the Authorization header. */
    public static McpToolClient http(String url, String token, Consumer<String> messages) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT, "'" + url + "' is not a URL", "e.g. http://127.0.0.1:8765/mcp");
        }
        if (u.getScheme() == null || !u.getScheme().startsWith("http") || u.getRawQuery() != null) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "'" + url + "' is not an http(s) URL without a query",
                    "e.g. http://127.0.0.1:8765/mcp; pass the token with --token-env, never in the URL");
        }
        String base = u.getScheme() + "://" + u.getRawAuthority();
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/mcp" : u.getRawPath();
        HttpRequest.Builder request = HttpRequest.newBuilder();
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.trim());
        }
        McpClientTransport transport = path.endsWith("/sse")
                ? HttpClientSseClientTransport.builder(base)
                        .sseEndpoint(path)
                        .requestBuilder(request)
                        .build()
                : HttpClientStreamableHttpTransport.builder(base)
                        .endpoint(path)
                        .requestBuilder(request)
                        .build();
        return new McpToolClient(transport, messages);
    }

    public List<McpSchema.Tool> tools() {
        List<McpSchema.Tool> all = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = client.listTools(cursor);
            all.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    /**
     * Calls a tool and returns its result. A long call that answers {@code status: "running"} is
     * followed with {@code get_operation} until its operation ends, and its final result is returned
     * in the called tool's own shape: a script sees what it saw before operations existed.
     */
    public McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult r = request(tool, arguments);
        if (tool.equals("get_operation") || tool.equals("cancel_operation")) {
            return r;
        }
        int polls = 0;
        while (!Boolean.TRUE.equals(r.isError())
                && r.structuredContent() instanceof Map<?, ?> m
                && "running".equals(m.get("status"))
                && m.get("operation_id") instanceof String id) {
            McpSchema.CallToolResult op = request("get_operation", Map.of("operation_id", id, "wait", 50));
            if (Boolean.TRUE.equals(op.isError())
                    || !(op.structuredContent() instanceof Map<?, ?> o)
                    || !(o.get("operation") instanceof Map<?, ?> view)) {
                return op;
            }
            Object state = view.get("state");
            if ("succeeded".equals(state) && o.get("result") instanceof Map<?, ?> result) {
                return McpSchema.CallToolResult.builder()
                        .content(op.content())
                        .structuredContent(result)
                        .isError(false)
                        .build();
            }
            if (!"running".equals(state) && view.get("failure") instanceof Map<?, ?> failure) {
                return McpSchema.CallToolResult.builder()
                        .content(op.content())
                        .structuredContent(Map.of("error", failure))
                        .isError(true)
                        .build();
            }
            if (++polls > 12 * 60 * 60 / 50) { // the client's own request timeout, 12 h
                return op;
            }
        }
        return r;
    }

    private McpSchema.CallToolResult request(String tool, Map<String, Object> arguments) {
        return client.callTool(McpSchema.CallToolRequest.builder()
                .name(tool)
                .arguments(arguments)
                .progressToken("lifeboat-cli")
                .build());
    }

    /** What a script prints: the structured result, or the text content when there is none. */
    public static Object printable(McpSchema.CallToolResult result) {
        if (result.structuredContent() != null) {
            return result.structuredContent();
        }
        List<String> texts = new ArrayList<>();
        for (McpSchema.Content c : result.content()) {
            if (c instanceof McpSchema.TextContent t) {
                texts.add(t.text());
            }
        }
        return Map.of("isError", Boolean.TRUE.equals(result.isError()), "text", String.join("\n", texts));
    }

    /**
     * The Lifeboat error code of an {@code isError} result, or null for a success: {@code
     * structuredContent.error.code}, else the {@code CODE:} that starts its text (a result without
     * structured content, e.g. one the SDK made itself), else INTERNAL.
     */
    public static String errorCode(McpSchema.CallToolResult result) {
        if (!Boolean.TRUE.equals(result.isError())) {
            return null;
        }
        if (result.structuredContent() instanceof Map<?, ?> m
                && m.get(ErrorResult.KEY) instanceof Map<?, ?> e
                && e.get("code") instanceof String code
                && !code.isBlank()) {
            return code;
        }
        for (McpSchema.Content c : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
            if (c instanceof McpSchema.TextContent t && t.text() != null) {
                Matcher code = TEXT_CODE.matcher(t.text());
                if (code.lookingAt()) {
                    return code.group(1);
                }
                break;
            }
        }
        return ErrorCode.INTERNAL.name();
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
