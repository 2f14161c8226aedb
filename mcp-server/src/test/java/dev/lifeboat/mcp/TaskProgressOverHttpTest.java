package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mcp.operation.Operations;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.ToolResult;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A task's progress over Streamable HTTP: its call was answered with the task at once, so the progress
 * on the call's token goes on the session's GET stream, the one a client (the TypeScript SDK's, for one)
 * opens after initializing.
 */
class TaskProgressOverHttpTest {
    private static final String AUTH = "Bearer " + HttpSecurityTest.FULL;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aTaskCreatedWithAProgressTokenReportsOnTheSessionsStream() throws Exception {
        Operations ops = new Operations();
        CountDownLatch release = new CountDownLatch(1);
        List<LifeboatTool> tools = List.of(ToolTasksTest.slow(
                "slow_backup",
                ops,
                (a, c) -> {
                    c.operation().progress().report(40, 100, "dumping app");
                    LongOperationsTest.await(release);
                    return new ToolResult(LongOperationsTest.BACKUP, "Created backup");
                },
                false));
        try (JettyMcpHttpServer server =
                McpServerRunner.startHttp(HttpSecurityTest.settings("127.0.0.1"), tools, new CancelRegistry())) {
            URI mcp = URI.create("http://127.0.0.1:" + server.port() + "/mcp");
            HttpResponse<String> init = post(
                    mcp,
                    null,
                    "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            post(mcp, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            HttpResponse<InputStream> stream = http.send(
                    HttpSecurityTest.sessionStream(mcp, HttpSecurityTest.FULL, session),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> readData(stream.body(), events), "test-sse-reader");
            reader.setDaemon(true);
            reader.start();

            HttpResponse<String> created = post(
                    mcp,
                    session,
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"slow_backup\","
                            + "\"arguments\":{},\"task\":{\"ttl\":60000},\"_meta\":{\"progressToken\":\"h-1\"}}}");
            assertThat(created.body()).contains("\"taskId\"", "\"working\"");

            String progress = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (progress == null && System.nanoTime() < deadline) {
                String data = events.poll(200, TimeUnit.MILLISECONDS);
                if (data != null && data.contains("notifications/progress")) {
                    progress = data;
                }
            }
            assertThat(progress)
                    .as("a progress notification on the session's stream after the task was created")
                    .isNotNull()
                    .contains("\"progressToken\":\"h-1\"", "\"progress\":40.0", "dumping app");
            release.countDown();
            stream.body().close();
        } finally {
            ops.close();
        }
    }

    private HttpResponse<String> post(URI mcp, String session, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(mcp)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code data:} lines of an SSE stream, as they come. */
    private static void readData(InputStream in, BlockingQueue<String> events) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("data:")) {
                    events.add(line.substring(5).trim());
                }
            }
        } catch (java.io.IOException closed) {
            // the test closed the stream
        }
    }
}
