package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.testing.Refusals;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import dev.lifeboat.mcp.auth.TokenEntry;
import dev.lifeboat.mcp.settings.McpSettings;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Jetty on loopback, a real HTTP client: Host, Origin, bearer tokens and scopes. */
class HttpSecurityTest {
    static final String FULL = "lbt_full-token-for-tests-0123456789abcdef";
    static final String READER = "lbt_read-only-token-for-tests-0123456789";
    /** A second token of the subject "admin", with the same scopes as {@link #FULL}. */
    static final String FULL_TOO = "lbt_second-admin-token-for-tests-987654";

    static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    @TempDir
    static Path dir;

    static Fixture fixture;
    static JettyMcpHttpServer server;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fixture = new Fixture(dir);
        server = startOnLoopback(fixture.service);
    }

    /**
     * The server most tests talk to: Streamable HTTP on loopback (an ephemeral port) with every tool over
     * {@code service}, the {@link #settings(String) settings} these tests' tokens pass, and cancels of its own.
     */
    static JettyMcpHttpServer startOnLoopback(BackupService service) throws Exception {
        return startOnLoopback(service, new CancelRegistry());
    }

    /** As {@link #startOnLoopback(BackupService)}, its cancels in {@code cancels}. */
    static JettyMcpHttpServer startOnLoopback(BackupService service, CancelRegistry cancels) throws Exception {
        return McpServerRunner.startHttp(settings("127.0.0.1"), Tools.all(service), cancels);
    }

    static McpSettings settings(String bind) {
        return new McpSettings(
                bind,
                0,
                List.of("https://app.example.com"),
                List.of(),
                List.of(
                        new TokenEntry("admin", TokenAuthenticator.sha256(FULL), EnumSet.allOf(Scope.class)),
                        new TokenEntry("reader", TokenAuthenticator.sha256(READER), Set.of(Scope.READ)),
                        new TokenEntry("admin", TokenAuthenticator.sha256(FULL_TOO), EnumSet.allOf(Scope.class))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        fixture.close();
    }

    /** The GET that opens session {@code session}'s SSE stream at {@code mcp}, with bearer {@code token}. */
    static HttpRequest sessionStream(URI mcp, String token, String session) {
        return HttpRequest.newBuilder(mcp)
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token)
                .header("Mcp-Session-Id", session)
                .GET()
                .build();
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** A session opened with {@code authorization}, initialized as a client does before calling tools. */
    static String initializedSession(String authorization) throws Exception {
        HttpResponse<String> init = post("/mcp", INIT, "Authorization", authorization);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(
                "/mcp",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "Authorization",
                authorization,
                "Mcp-Session-Id",
                session);
        return session;
    }

    static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void missingTokenGets401WithChallenge() throws Exception {
        HttpResponse<String> r = post("/mcp", INIT);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void wrongTokenGets401InvalidToken() throws Exception {
        HttpResponse<String> r = post("/mcp", INIT, "Authorization", "Bearer lbt_not-a-configured-token-xxxxxxxx");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    }

    @Test
    void tokenInTheQueryStringIsNeverAccepted() throws Exception {
        HttpResponse<String> r = post("/mcp?access_token=" + FULL, INIT);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Authorization header");
        HttpResponse<String> sse = http.send(
                HttpRequest.newBuilder(uri("/sse?access_token=" + FULL)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sse.statusCode()).isEqualTo(401);
    }

    @Test
    void goodTokenFromALocalOriginInitializes() throws Exception {
        HttpResponse<String> r =
                post("/mcp", INIT, "Authorization", "Bearer " + FULL, "Origin", "http://localhost:" + server.port());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(r.body()).contains("\"serverInfo\"");
    }

    @Test
    void configuredOriginIsAllowed() throws Exception {
        HttpResponse<String> r =
                post("/mcp", INIT, "Authorization", "Bearer " + FULL, "Origin", "https://app.example.com");
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void foreignOriginAndNullOriginGet403() throws Exception {
        for (String origin : List.of("http://evil.example", "null", "http://localhost:1")) {
            HttpResponse<String> r = post("/mcp", INIT, "Authorization", "Bearer " + FULL, "Origin", origin);
            assertThat(r.statusCode()).as(origin).isEqualTo(403);
        }
        HttpResponse<String> sse = http.send(
                HttpRequest.newBuilder(uri("/sse"))
                        .header("Authorization", "Bearer " + FULL)
                        .header("Origin", "http://evil.example")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sse.statusCode()).isEqualTo(403);
    }

    @Test
    void foreignHostGets421() throws Exception {
        // java.net.http will not send a forged Host header; a raw socket does, as a rebinding attack would
        for (String host : List.of("evil.example", "evil.example:" + server.port(), "127.0.0.1:1")) {
            String status = rawStatus("POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + FULL
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: " + INIT.getBytes(StandardCharsets.UTF_8).length
                    + "\r\nConnection: close\r\n\r\n"
                    + INIT);
            assertThat(status).as(host).contains(" 421 ");
        }
        assertThat(rawStatus("GET /sse HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer " + FULL
                        + "\r\nConnection: close\r\n\r\n"))
                .contains(" 421 ");
    }

    @Test
    void aSessionAnswersOnlyTheTokenThatMadeIt() throws Exception {
        String session = initializedSession("Bearer " + FULL);
        String list = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}";
        for (String other : List.of(READER, FULL_TOO)) {
            HttpResponse<String> r = post("/mcp", list, "Authorization", "Bearer " + other, "Mcp-Session-Id", session);
            assertThat(r.statusCode())
                    .as("tools/list with another token (%s)", other)
                    .isEqualTo(404);
            assertThat(r.body()).contains("session_not_found").doesNotContain("tools");
            HttpResponse<String> stream =
                    http.send(sessionStream(uri("/mcp"), other, session), HttpResponse.BodyHandlers.ofString());
            assertThat(stream.statusCode())
                    .as("the GET stream with another token")
                    .isEqualTo(404);
            HttpResponse<String> delete = http.send(
                    HttpRequest.newBuilder(uri("/mcp"))
                            .header("Authorization", "Bearer " + other)
                            .header("Mcp-Session-Id", session)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(delete.statusCode()).as("ending it with another token").isEqualTo(404);
        }
        assertThat(post("/mcp", list, "Mcp-Session-Id", session).statusCode())
                .as("without a token")
                .isEqualTo(401);

        HttpResponse<String> own = post("/mcp", list, "Authorization", "Bearer " + FULL, "Mcp-Session-Id", session);
        assertThat(own.statusCode())
                .as("the session still serves its own token")
                .isEqualTo(200);
        assertThat(own.body()).contains("delete_backup");
    }

    /** A legacy SSE stream opened with the full token, as lines. */
    private HttpResponse<java.util.stream.Stream<String>> openSse() throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/sse"))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", "Bearer " + FULL)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
    }

    @Test
    void aLegacySseSessionAnswersOnlyTheTokenThatOpenedIt() throws Exception {
        HttpResponse<java.util.stream.Stream<String>> stream = openSse();
        assertThat(stream.statusCode()).isEqualTo(200);
        try (java.util.stream.Stream<String> lines = stream.body()) {
            String endpoint = lines.filter(l -> l.startsWith("data:"))
                    .findFirst()
                    .orElseThrow()
                    .substring(5)
                    .trim();
            assertThat(endpoint).startsWith("/message?sessionId=");
            String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
            for (String other : List.of(READER, FULL_TOO)) {
                HttpResponse<String> r = post(endpoint, ping, "Authorization", "Bearer " + other);
                assertThat(r.statusCode())
                        .as("a message with another token (%s)", other)
                        .isEqualTo(404);
                assertThat(r.body()).contains("session_not_found");
            }
            assertThat(post(endpoint, ping).statusCode()).as("without a token").isEqualTo(401);
            HttpResponse<String> own = http.send(
                    HttpRequest.newBuilder(uri(endpoint))
                            .timeout(java.time.Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + FULL)
                            .POST(HttpRequest.BodyPublishers.ofString(INIT))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(own.statusCode()).as("its own token").isBetween(200, 299);
        }
    }

    @Test
    void aLegacySseRequestBeforeTheSessionIsInitializedIsRefusedInsteadOfHoldingAThread() throws Exception {
        HttpResponse<java.util.stream.Stream<String>> stream = openSse();
        try (java.util.stream.Stream<String> lines = stream.body()) {
            java.util.Iterator<String> events = lines.iterator();
            String endpoint = null;
            while (endpoint == null) {
                String l = events.next();
                endpoint = l.startsWith("data:") ? l.substring(5).trim() : null;
            }
            String auth = "Bearer " + FULL;
            String ping = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";
            HttpResponse<String> early = post(endpoint, ping, "Authorization", auth);
            assertThat(early.statusCode()).as("a ping before initialize").isEqualTo(400);
            assertThat(early.body()).contains("not_initialized").contains("notifications/initialized");
            assertThat(post(endpoint, INIT, "Authorization", auth).statusCode()).isBetween(200, 299);
            assertThat(post(endpoint, ping, "Authorization", auth).statusCode())
                    .as("a ping between initialize and notifications/initialized")
                    .isEqualTo(400);
            String initialized = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
            assertThat(post(endpoint, initialized, "Authorization", auth).statusCode())
                    .isBetween(200, 299);
            assertThat(post(endpoint, ping, "Authorization", auth).statusCode()).isBetween(200, 299);
            String pong = null;
            while (pong == null) {
                String l = events.next();
                pong = l.startsWith("data:") && l.contains("\"id\":7") ? l : null;
            }
            assertThat(pong).contains("\"result\":{}");
        }
    }

    @Test
    void readOnlyTokenGets403InsufficientScopeForRestoreAndDelete() throws Exception {
        String session = initializedSession("Bearer " + READER);
        for (String tool :
                List.of("restore_backup", "restore_over_existing", "drill_backup", "delete_backup", "create_backup")) {
            HttpResponse<String> r = post(
                    "/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                            + "\",\"arguments\":{\"backup_id\":\"app-20261122T071200Z-3f9a\"}}}",
                    "Authorization",
                    "Bearer " + READER,
                    "Mcp-Session-Id",
                    session);
            assertThat(r.statusCode()).as(tool).isEqualTo(403);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("insufficient_scope")
                    .contains("scope=\"backups:");
        }
        HttpResponse<String> drill = post(
                "/mcp",
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"drill_backup\","
                        + "\"arguments\":{\"backup_id\":\"app-20261122T071200Z-3f9a\"}}}",
                "Authorization",
                "Bearer " + READER,
                "Mcp-Session-Id",
                session);
        assertThat(drill.statusCode()).isEqualTo(403);
        assertThat(drill.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("backups:restore");
        HttpResponse<String> allowed = post(
                "/mcp",
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"list_backups\",\"arguments\":{}}}",
                "Authorization",
                "Bearer " + READER,
                "Mcp-Session-Id",
                session);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("\"count\":0");
    }

    @Test
    void aCallTheFilterCannotReadIsStillRefusedForWantOfScope() throws Exception {
        String session = initializedSession("Bearer " + READER);
        // a byte that is not UTF-8: the filter's parser gives up on the body and leaves it to the SDK,
        // which decodes it with a replacement character and runs the call; the dispatcher refuses it
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(
                ("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"delete_backup\","
                                + "\"arguments\":{\"backup_id\":\"app-20261122T071200Z-3f9a\"},\"_meta\":{\"note\":\"")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(0xFF);
        body.writeBytes("\"}}}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri("/mcp"))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .header("Authorization", "Bearer " + READER)
                        .header("Mcp-Session-Id", session)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode() == 403 || r.body().contains("INSUFFICIENT_SCOPE"))
                .as(r.statusCode() + " " + r.body())
                .isTrue();
        assertThat(r.body()).doesNotContain("NOT_FOUND").doesNotContain("confirmation_required");
    }

    @Test
    void errorBodiesCarryNoStackTrace() throws Exception {
        HttpResponse<String> unknownSession = post(
                "/mcp",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                "Authorization",
                "Bearer " + FULL,
                "Mcp-Session-Id",
                "00000000-0000-0000-0000-000000000000");
        HttpResponse<String> garbage =
                post("/mcp", "{not json", "Authorization", "Bearer " + FULL, "Mcp-Session-Id", "x");
        HttpResponse<String> noSession = post("/message", INIT, "Authorization", "Bearer " + FULL);
        HttpResponse<String> nowhere = post("/nowhere", INIT, "Authorization", "Bearer " + FULL);
        for (HttpResponse<String> r : List.of(unknownSession, garbage, noSession, nowhere)) {
            assertThat(r.statusCode()).as(r.uri().toString()).isBetween(400, 499);
            assertThat(r.body())
                    .as(r.uri().toString())
                    .doesNotContain("stackTrace")
                    .doesNotContain("at io.modelcontextprotocol")
                    .doesNotContain("Exception");
        }
    }

    /** Starting the HTTP server with {@code settings}, refused as CONFIG_INVALID: the refusal, for what it says. */
    private LifeboatException refusedToStart(McpSettings settings) {
        return Refusals.refused(
                ErrorCode.CONFIG_INVALID,
                () -> McpServerRunner.startHttp(settings, Tools.all(fixture.service), new CancelRegistry()));
    }

    @Test
    void nonLoopbackBindWithoutTokensRefusesToStart() {
        McpSettings open = new McpSettings("0.0.0.0", 0, List.of(), List.of(), List.of());
        assertThat(refusedToStart(open).hint()).contains("mcp.tokens");
        // the opt-out is for loopback only
        assertThat(refusedToStart(open.withUnauthenticatedLocal(true)).getMessage())
                .contains("mcp.allow_unauthenticated_local applies to loopback");
    }

    @Test
    void loopbackWithoutTokensRefusesToStartUnlessTheOperatorOptsOut() {
        McpSettings local = new McpSettings("127.0.0.1", 0, List.of(), List.of(), List.of());
        LifeboatException e = refusedToStart(local);
        assertThat(e.getMessage()).contains("without bearer tokens").contains("every local user");
        assertThat(e.hint())
                .contains("lifeboat-mcp hash-token")
                .contains("mcp.tokens")
                .contains("mcp.allow_unauthenticated_local: true");
    }

    @Test
    void loopbackWithTheOptOutServesTheLocalUserButStillChecksHostAndOrigin() throws Exception {
        McpSettings local =
                new McpSettings("127.0.0.1", 0, List.of(), List.of(), List.of()).withUnauthenticatedLocal(true);
        try (JettyMcpHttpServer open =
                McpServerRunner.startHttp(local, Tools.all(fixture.service), new CancelRegistry())) {
            URI mcp = URI.create("http://127.0.0.1:" + open.port() + "/mcp");
            HttpResponse<String> init = http.send(
                    HttpRequest.newBuilder(mcp)
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .POST(HttpRequest.BodyPublishers.ofString(INIT))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
            assertThat(init.body()).contains("\"serverInfo\"");
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();

            // the local user has every scope: a write tool is not refused for want of one
            String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"delete_backup\",\"arguments\":{\"backup_id\":\"app-20260101T000000Z-0000\"}}}";
            HttpResponse<String> del = http.send(
                    HttpRequest.newBuilder(mcp)
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .header("Mcp-Session-Id", session)
                            .POST(HttpRequest.BodyPublishers.ofString(call))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(del.statusCode()).isEqualTo(200);
            assertThat(del.body()).contains("NOT_FOUND").doesNotContain("insufficient_scope");

            // DNS rebinding and cross-site requests are refused even without tokens
            HttpResponse<String> foreign = http.send(
                    HttpRequest.newBuilder(mcp)
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .header("Origin", "https://evil.example")
                            .POST(HttpRequest.BodyPublishers.ofString(INIT))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).isEqualTo(403);
        }
    }

    private String rawStatus(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = in.readNBytes(64);
            return new String(buf, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        }
    }
}
