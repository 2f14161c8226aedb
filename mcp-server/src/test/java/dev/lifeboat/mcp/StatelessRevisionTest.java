package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.mcp.operation.Operations;
import dev.lifeboat.mcp.tool.CancelOperationTool;
import dev.lifeboat.mcp.tool.GetOperationTool;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.ToolResult;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.McpSyncElicitationHandler;
import io.modelcontextprotocol.modern.client.transport.StdioMcpClientTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stateless 2026-07-28 revision, through the SDK's own client of that revision ({@code
 * io.modelcontextprotocol.modern.client}) over stdio (a spawned server) and Streamable HTTP, beside the
 * session revisions on the same stdio stream and endpoint: discovery, the tools a token may call,
 * errors the model can read, and a destructive call confirmed by the person through {@code
 * input_required} without the model ever holding a token.
 */
class StatelessRevisionTest {
    private static final String[] TRANSPORTS = {"stdio", "http"};

    @TempDir
    Path dir;

    /** The forms the person was shown, and what the model saw (results), to check no token is in them. */
    private final List<McpSchema.ElicitFormRequest> forms = Collections.synchronizedList(new ArrayList<>());

    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Test
    void discoveryAndToolsAnswerWithoutASessionAndErrorsCarryCodeMessageAndHint() throws Exception {
        try (Fixture f = new Fixture(dir);
                Served served = serve(f)) {
            for (String transport : TRANSPORTS) {
                McpSyncClient client = served.client(transport, HttpSecurityTest.FULL, null);
                McpSchema.DiscoverResult discovered = client.discover();
                assertThat(discovered.supportedVersions()).as(transport).contains("2026-07-28");
                assertThat(discovered.instructions()).contains("list_databases");
                List<String> names = client.listTools().list().tools().stream()
                        .map(McpSchema.Tool::name)
                        .toList();
                assertThat(names)
                        .as(transport)
                        .containsAll(Tools.all(f.service).stream()
                                .map(t -> t.definition().name())
                                .toList());

                McpSchema.CallToolResult missing = client.tool("get_backup")
                        .arguments(Map.of("backup_id", "app-20260101T000000Z-0000"))
                        .call();
                assertThat(missing.isError()).as(transport).isTrue();
                assertThat(text(missing)).startsWith("NOT_FOUND: ").contains("Hint: ");
                assertThat(error(missing)).containsEntry("code", "NOT_FOUND").containsKey("hint");

                McpSchema.CallToolResult oldShape = client.tool("restore_backup")
                        .arguments(Map.of("backup_id", "x", "mode", "replace"))
                        .call();
                assertThat(text(oldShape)).startsWith("INVALID_ARGUMENT: ").contains("restore_over_existing");
            }
        }
    }

    @Test
    void aTokenSeesAndCallsOnlyWhatItsScopesAllow() throws Exception {
        try (Fixture f = new Fixture(dir);
                Served served = serve(f)) {
            McpSyncClient reader = served.client("http", HttpSecurityTest.READER, null);
            List<String> names = reader.listTools().list().tools().stream()
                    .map(McpSchema.Tool::name)
                    .toList();
            assertThat(names).contains("list_backups").doesNotContain("delete_backup", "create_backup");
            // the SDK's client calls only listed tools; a raw call is refused before any tool runs
            HttpResponse<String> refused = HttpClient.newHttpClient()
                    .send(
                            StatelessClients.raw(
                                    served.base(),
                                    HttpSecurityTest.READER,
                                    "tools/call",
                                    Map.of("name", "delete_backup", "arguments", Map.of("backup_id", "x"))),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("backups:delete");
        }
    }

    @Test
    void thePersonConfirmsADeleteThroughInputRequiredAndTheModelNeverHoldsAToken() throws Exception {
        try (Fixture f = new Fixture(dir);
                Served served = serve(f)) {
            f.seed(Instant.parse("2026-03-09T00:00:00Z"), "PGDMP-keep", "the newest stays");
            for (int i = 0; i < TRANSPORTS.length; i++) {
                String id = f.seed(Instant.parse("2026-03-0" + (i + 1) + "T00:00:00Z"), "PGDMP-" + i, "n" + i);
                McpSyncClient client = served.client(TRANSPORTS[i], HttpSecurityTest.FULL, form -> {
                    forms.add(form);
                    return McpSchema.ElicitResult.accept(Map.of(PersonConfirmation.FIELD, id));
                });
                McpSchema.CallToolResult done = deleteBackup(client, id);
                seen.add(text(done) + done.structuredContent());
                assertThat(done.isError()).as(text(done)).isFalse();
                assertThat(structured(done)).containsEntry("status", "deleted");
                assertThatThrownBy(() -> f.service.get(id, null)).hasMessageContaining(id);
                assertThat(forms.get(i).message()).contains("not the assistant").contains("Delete backup " + id);
            }
            assertThat(String.join("\n", seen)).doesNotContain("lbc1.").doesNotContain("confirm_token");
        }
    }

    @Test
    void aDeclinedOrMistypedAnswerChangesNothingAndAForgedStateIsRefused() throws Exception {
        try (Fixture f = new Fixture(dir);
                Served served = serve(f)) {
            String id = f.seed(Instant.parse("2026-03-01T00:00:00Z"), "PGDMP-0", "only");
            for (String transport : TRANSPORTS) {
                McpSyncClient declining =
                        served.client(transport, HttpSecurityTest.FULL, form -> McpSchema.ElicitResult.decline());
                McpSchema.CallToolResult no = deleteBackup(declining, id);
                assertThat(text(no)).as(transport).startsWith("NOT_CONFIRMED: the user declined plan");
                McpSyncClient mistyping = served.client(
                        transport,
                        HttpSecurityTest.FULL,
                        form -> McpSchema.ElicitResult.accept(Map.of(PersonConfirmation.FIELD, "yes")));
                McpSchema.CallToolResult wrong = deleteBackup(mistyping, id);
                assertThat(text(wrong)).startsWith("NOT_CONFIRMED: the text the user typed did not match");

                McpSyncClient forger = served.client(transport, HttpSecurityTest.FULL, null);
                assertThatThrownBy(() -> forger.tool("delete_backup")
                                .arguments(Map.of("backup_id", id))
                                .requestState("eyJ2IjoxfQ.AAAA")
                                .inputResponses(Map.of(
                                        StatelessTools.CONFIRMATION,
                                        Map.of("action", "accept", "content", Map.of(PersonConfirmation.FIELD, id))))
                                .call())
                        .isInstanceOf(McpException.class)
                        .hasMessageContaining("requestState");
            }
            assertThat(f.service.get(id, null).manifest().id()).isEqualTo(id);
        }
    }

    @Test
    void aClientWithoutFormsGetsThePlanAndTokenAsOverASession() throws Exception {
        try (Fixture f = new Fixture(dir);
                Served served = serve(f)) {
            String id = f.seed(Instant.parse("2026-03-01T00:00:00Z"), "PGDMP-0", "old");
            f.seed(Instant.parse("2026-03-09T00:00:00Z"), "PGDMP-keep", "the newest stays");
            McpSyncClient client = served.client("stdio", HttpSecurityTest.FULL, null);
            McpSchema.CallToolResult plan = deleteBackup(client, id);
            assertThat(structured(plan)).containsEntry("status", "confirmation_required");
            @SuppressWarnings("unchecked")
            String token = (String) ((Map<String, Object>) structured(plan).get("confirmation")).get("token");
            McpSchema.CallToolResult done = client.tool("delete_backup")
                    .arguments(Map.of("backup_id", id, "confirm_token", token))
                    .call();
            assertThat(structured(done)).containsEntry("status", "deleted");
        }
    }

    @Test
    void aSessionClientAndAStatelessOneShareTheEndpoint() throws Exception {
        try (Fixture f = new Fixture(dir);
                Served served = serve(f)) {
            HttpResponse<String> init = HttpClient.newHttpClient()
                    .send(
                            McpClients.authorized()
                                    .uri(URI.create(served.base() + "/mcp"))
                                    .header("Content-Type", "application/json")
                                    .header("Accept", "application/json, text/event-stream")
                                    .POST(HttpRequest.BodyPublishers.ofString(HttpSecurityTest.INIT))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(init.statusCode()).isEqualTo(200);
            assertThat(init.headers().firstValue("Mcp-Session-Id")).isPresent();
            assertThat(init.body()).contains("\"protocolVersion\":\"2025-06-18\"");
            McpSyncClient client = served.client("http", HttpSecurityTest.FULL, null);
            assertThat(client.discover().supportedVersions()).contains("2026-07-28");
        }
    }

    @Test
    void onTheStdioStreamOfASessionAStatelessCallSendsProgressAndNotificationsCancelledStopsIt() throws Exception {
        Operations ops = new Operations();
        List<LifeboatTool> tools = List.of(
                LongOperationsTest.slow("stubborn_backup", ops, (a, c) -> {
                    c.operation().progress().report(10, 100, "dumping app");
                    while (!c.operation().cancel().isCancelled()) {
                        LongOperationsTest.sleep(10);
                    }
                    c.operation().cancel().throwIfCancelled();
                    return new ToolResult(LongOperationsTest.BACKUP, "not cancelled");
                }),
                new GetOperationTool(ops),
                new CancelOperationTool(ops));
        try (InProcessSession s = new InProcessSession(tools)) {
            Map<String, Object> meta = new java.util.LinkedHashMap<>(StatelessClients.claim());
            meta.put("progressToken", "sp");
            String call = s.send(
                    "tools/call", Map.of("name", "stubborn_backup", "arguments", Map.of("wait", 30), "_meta", meta));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (progress(s, "sp").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(progress(s, "sp")).isNotEmpty();
            s.notify("notifications/cancelled", Map.of("requestId", call, "reason", "the user changed their mind"));
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) s.await(call).get("result");
            assertThat(result).containsEntry("resultType", "complete").containsEntry("isError", true);
            assertThat(String.valueOf(result.get("content"))).contains("CANCELLED");
            // the session the stream began with still answers, beside the stateless requests
            assertThat(s.tools()).containsKey("get_operation");
            assertThat(s.request("tools/list", Map.of("_meta", meta)).get("result"))
                    .asString()
                    .contains("stubborn_backup")
                    .contains("resultType");
        }
    }

    @Test
    void overHttpAStatelessCallStreamsItsProgressAndAClientThatGoesAwayCancelsIt() throws Exception {
        Operations ops = new Operations();
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        List<LifeboatTool> tools = List.of(
                LongOperationsTest.slow("stubborn_backup", ops, (a, c) -> {
                    c.operation().progress().report(10, 100, "dumping app");
                    while (!c.operation().cancel().isCancelled()) {
                        LongOperationsTest.sleep(10);
                    }
                    stopped.countDown();
                    c.operation().cancel().throwIfCancelled();
                    return new ToolResult(LongOperationsTest.BACKUP, "not cancelled");
                }),
                new GetOperationTool(ops),
                new CancelOperationTool(ops));
        try (JettyMcpHttpServer http =
                McpServerRunner.startHttp(HttpSecurityTest.settings("127.0.0.1"), tools, new CancelRegistry())) {
            HttpResponse<java.io.InputStream> streamed = HttpClient.newHttpClient()
                    .send(
                            StatelessClients.raw(
                                    "http://127.0.0.1:" + http.port(),
                                    HttpSecurityTest.FULL,
                                    "tools/call",
                                    Map.of(
                                            "name", "stubborn_backup",
                                            "arguments", Map.of("wait", 50),
                                            "_meta", Map.of("progressToken", "hp"))),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertThat(streamed.statusCode()).isEqualTo(200);
            assertThat(streamed.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            java.io.BufferedReader events = new java.io.BufferedReader(
                    new java.io.InputStreamReader(streamed.body(), java.nio.charset.StandardCharsets.UTF_8));
            String line;
            do {
                line = events.readLine();
            } while (line != null && !line.contains("notifications/progress"));
            assertThat(line).contains("\"progressToken\":\"hp\"").contains("dumping app");
            assertThat(stopped.getCount())
                    .as("still running while its client listens")
                    .isEqualTo(1);
            streamed.body().close(); // the client goes away; the next heartbeat finds the stream closed
            assertThat(stopped.await(30, TimeUnit.SECONDS))
                    .as("cancelled by its client's leaving")
                    .isTrue();
        }
    }

    @Test
    void aStatelessCallSendsLogLinesOnlyFromTheLevelItsRequestAskedFor() throws Exception {
        LifeboatTool chatty = ToolDispatcherTest.fake(
                ToolDispatcherTest.rename(new dev.lifeboat.mcp.tool.CreateBackupTool(null).definition(), "chatty"),
                (a, c) -> {
                    c.log().info("an info line");
                    c.log().warning("a warning line");
                    return new ToolResult(LongOperationsTest.BACKUP, "done");
                },
                dev.lifeboat.mcp.auth.Scope.WRITE);
        try (InProcessSession s = new InProcessSession(List.of(chatty))) {
            for (String level : new String[] {"warning", null}) {
                Map<String, Object> meta = new java.util.LinkedHashMap<>(StatelessClients.claim());
                if (level != null) {
                    meta.put(StatelessTools.LOG_LEVEL, level);
                }
                int before = s.notifications.size();
                Map<String, Object> reply =
                        s.request("tools/call", Map.of("name", "chatty", "arguments", Map.of(), "_meta", meta));
                assertThat(reply).containsKey("result");
                List<String> logged = s.notifications.subList(before, s.notifications.size()).stream()
                        .filter(n -> "notifications/message".equals(n.get("method")))
                        .map(n -> String.valueOf(((Map<?, ?>) n.get("params")).get("data")))
                        .toList();
                assertThat(logged)
                        .as("asked for %s", level)
                        .isEqualTo(level == null ? List.of() : List.of("a warning line"));
            }
        }
    }

    private static List<Object> progress(InProcessSession s, String token) {
        return s.notifications.stream()
                .filter(n -> "notifications/progress".equals(n.get("method")))
                .map(n -> (Map<?, ?>) n.get("params"))
                .filter(p -> token.equals(p.get("progressToken")))
                .map(p -> (Object) p.get("progress"))
                .toList();
    }

    private static String text(McpSchema.CallToolResult r) {
        return StatelessClients.text(r);
    }

    private static Map<String, Object> structured(McpSchema.CallToolResult r) {
        return StatelessClients.structured(r);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(McpSchema.CallToolResult r) {
        return (Map<String, Object>) structured(r).get("error");
    }

    private Served serve(Fixture f) throws Exception {
        CancelRegistry cancels = new CancelRegistry();
        return new Served(f, HttpSecurityTest.startOnLoopback(f.service, cancels));
    }

    /** The HTTP server in this process and a spawned stdio server, with the clients made on them. */
    private final class Served implements AutoCloseable {
        private final Fixture fixture;
        private final JettyMcpHttpServer http;
        private final List<AutoCloseable> opened = new ArrayList<>();

        Served(Fixture fixture, JettyMcpHttpServer http) {
            this.fixture = fixture;
            this.http = http;
        }

        String base() {
            return "http://127.0.0.1:" + http.port();
        }

        /** A client of the stateless revision; with {@code person}, one that declares form elicitation. */
        McpSyncClient client(
                String transport, String bearer, McpSyncElicitationHandler<McpSchema.ElicitFormRequest> person) {
            if (transport.equals("http")) {
                return StatelessClients.http(base(), bearer, person);
            }
            StdioMcpClientTransport stdio = StatelessClients.stdio(fixture.configFile, fixture.env(), seen::add);
            opened.add(stdio);
            return StatelessClients.client(stdio, person);
        }

        @Override
        public void close() throws Exception {
            for (AutoCloseable c : opened) {
                c.close();
            }
            http.close();
        }
    }

    /** A delete_backup call of {@code id} without a token: the call a person is asked to confirm. */
    private static McpSchema.CallToolResult deleteBackup(McpSyncClient client, String id) {
        return client.tool("delete_backup").arguments(Map.of("backup_id", id)).call();
    }
}
