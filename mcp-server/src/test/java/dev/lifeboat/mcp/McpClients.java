package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The SDK's own client against the real server over the transports a test names: {@code stdio} (a
 * spawned server process on the configuration file), {@code http} (Streamable HTTP) and {@code sse},
 * both served in this JVM over the test's service with {@link HttpSecurityTest#FULL}'s token. Every
 * result, log and progress notification and the spawned server's stderr is kept in {@link #seen}, for
 * the tests' checks that none holds a secret ({@link #assertNeverSaw}); progress also per transport.
 */
final class McpClients implements AutoCloseable {
    /** Everything the clients were sent, as text: results, "{transport} log {LEVEL} {data}", progress, stderr. */
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    /** The progress notifications each transport's client received. */
    final Map<String, List<McpSchema.ProgressNotification>> progress = new HashMap<>();

    final JettyMcpHttpServer http;
    private final Map<String, McpSyncClient> clients = new LinkedHashMap<>();
    private final Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation;

    private McpClients(
            JettyMcpHttpServer http, Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation) {
        this.http = http;
        this.elicitation = elicitation;
    }

    /**
     * Serves {@code service} over HTTP and connects a client over each of {@code transports}, each asking
     * for log notifications from {@code level} up. The stdio server runs on {@code configFile} with {@code env}.
     */
    static McpClients start(
            BackupService service,
            Path configFile,
            Map<String, String> env,
            McpSchema.LoggingLevel level,
            String... transports)
            throws Exception {
        return start(service, configFile, env, level, null, transports);
    }

    /**
     * As {@link #start(BackupService, Path, Map, McpSchema.LoggingLevel, String...)}, with clients that
     * declare form elicitation and answer each form with {@code elicitation} (the person at the client).
     */
    static McpClients start(
            BackupService service,
            Path configFile,
            Map<String, String> env,
            McpSchema.LoggingLevel level,
            Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation,
            String... transports)
            throws Exception {
        McpClients c = new McpClients(HttpSecurityTest.startOnLoopback(service), elicitation);
        try {
            for (String transport : transports) {
                c.clients.put(transport, c.connect(transport, c.transport(transport, configFile, env), level));
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The base URL of the HTTP server, e.g. {@code http://127.0.0.1:40123}. */
    String base() {
        return "http://127.0.0.1:" + http.port();
    }

    /** A request carrying the full-scope bearer token. */
    static HttpRequest.Builder authorized() {
        return HttpRequest.newBuilder().header("Authorization", "Bearer " + HttpSecurityTest.FULL);
    }

    /** The command that runs the stdio server on {@code configFile}, as an MCP client configuration names it. */
    static List<String> serverCommand(Path configFile) {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                McpMain.class.getName(),
                "--config",
                configFile.toString());
    }

    private McpClientTransport transport(String transport, Path configFile, Map<String, String> env) {
        switch (transport) {
            case "stdio" -> {
                List<String> command = serverCommand(configFile);
                ServerParameters params = ServerParameters.builder(command.get(0))
                        .args(command.subList(1, command.size()))
                        .env(new HashMap<>(env))
                        .build();
                StdioClientTransport stdio = new StdioClientTransport(params, McpJsonDefaults.getMapper());
                stdio.setStdErrorHandler(seen::add);
                return stdio;
            }
            case "http" -> {
                return HttpClientStreamableHttpTransport.builder(base())
                        .endpoint("/mcp")
                        .requestBuilder(authorized())
                        .build();
            }
            case "sse" -> {
                return HttpClientSseClientTransport.builder(base())
                        .sseEndpoint("/sse")
                        .requestBuilder(authorized())
                        .build();
            }
            default -> throw new IllegalArgumentException("no transport " + transport);
        }
    }

    private McpSyncClient connect(String name, McpClientTransport transport, McpSchema.LoggingLevel level) {
        List<McpSchema.ProgressNotification> mine = Collections.synchronizedList(new ArrayList<>());
        progress.put(name, mine);
        McpClient.SyncSpec spec = McpClient.sync(transport)
                .requestTimeout(Duration.ofMinutes(2))
                .loggingConsumer(n -> seen.add(name + " log " + n.level() + " " + n.data()))
                .progressConsumer(n -> {
                    mine.add(n);
                    seen.add(String.valueOf(n));
                });
        if (elicitation != null) {
            // the form goes to the person, not the model: it is not added to what the model saw
            spec.capabilities(
                            McpSchema.ClientCapabilities.builder().elicitation().build())
                    .elicitation(elicitation);
        }
        McpSyncClient c = spec.build();
        c.initialize();
        c.setLoggingLevel(level);
        return c;
    }

    /** The client connected over {@code transport}. */
    McpSyncClient client(String transport) {
        return clients.get(transport);
    }

    /**
     * Calls {@code tool} over {@code transport} with a progress token, keeps the result in {@link #seen} and
     * asserts what a client that validates structuredContent (the TypeScript SDK's) would check.
     */
    McpSchema.CallToolResult call(String transport, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client(transport)
                .callTool(McpSchema.CallToolRequest.builder()
                        .name(tool)
                        .arguments(args)
                        .progressToken(tool + "-" + transport)
                        .build());
        seen.add(String.valueOf(r));
        OutputSchemas.assertConforms(client(transport), tool, r);
        return r;
    }

    /** Asserts that nothing the clients were sent, nor the audit log in {@code stateDir}, holds {@code secret}. */
    void assertNeverSaw(String secret, Path stateDir) throws IOException {
        assertThat(String.join("\n", seen)).doesNotContain(secret);
        Path audit = stateDir.resolve("audit.jsonl");
        if (Files.exists(audit)) {
            assertThat(Files.readString(audit)).doesNotContain(secret);
        }
    }

    @Override
    public void close() throws Exception {
        clients.values().forEach(McpSyncClient::closeGracefully);
        http.close();
    }
}
