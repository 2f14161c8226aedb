package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.HttpSecurityTest.FULL;
import static dev.lifeboat.mcp.HttpSecurityTest.INIT;
import static dev.lifeboat.mcp.HttpSecurityTest.READER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mcp.settings.HttpLimits;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server's limits against real attackers on loopback (plain sockets and java.net.http, no
 * mocks): a flood of initialize calls, slow bodies, oversized bodies, idle sessions, methods no
 * transport uses. Each test starts its own server with the limits it needs, and prints what it measured.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpLimitsIT {
    static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
            + "\"name\":\"list_backups\",\"arguments\":{}}}";

    @TempDir
    static Path dir;

    static Fixture fixture;
    static final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void fixture() throws Exception {
        fixture = new Fixture(dir);
    }

    @AfterAll
    static void close() throws Exception {
        fixture.close();
    }

    static JettyMcpHttpServer start(HttpLimits limits) throws Exception {
        return McpServerRunner.startHttp(
                HttpSecurityTest.settings("127.0.0.1").withLimits(limits),
                Tools.all(fixture.service),
                new CancelRegistry());
    }

    static HttpResponse<String> post(JettyMcpHttpServer server, String body, String token, String session)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A session of {@code token}, initialized as a client does. */
    static String session(JettyMcpHttpServer server, String token) throws Exception {
        HttpResponse<String> init = post(server, INIT, token, null);
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(server, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", token, id);
        return id;
    }

    /** Milliseconds a normal call takes: list_backups over an established session. */
    static long normalCallMillis(JettyMcpHttpServer server, String session) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = post(server, LIST, FULL, session);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"count\"");
        return ms;
    }

    @Test
    void aFloodOfInitializeCallsStaysUnderTheCapAndOthersAreStillServed() throws Exception {
        HttpLimits limits = HttpLimits.defaults();
        try (JettyMcpHttpServer server = start(limits)) {
            String probe = session(server, FULL);
            int calls = 3000;
            AtomicInteger created = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger mostSessions = new AtomicInteger();
            AtomicLong slowestProbe = new AtomicLong();
            AtomicBoolean flooding = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CompletableFuture<Integer> probes = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                try {
                    while (flooding.get()) {
                        slowestProbe.accumulateAndGet(normalCallMillis(server, probe), Math::max);
                        n++;
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return n;
            });
            long t0 = System.nanoTime();
            List<Future<?>> flood = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                flood.add(pool.submit(() -> {
                    HttpResponse<String> r = post(server, INIT, READER, null);
                    if (r.statusCode() == 200) {
                        created.incrementAndGet();
                    } else if (r.statusCode() == 429) {
                        refused.incrementAndGet();
                    } else {
                        unexpected.add(r.statusCode() + " " + r.body());
                    }
                    mostSessions.accumulateAndGet(server.sessionCount(), Math::max);
                    return null;
                }));
            }
            for (Future<?> f : flood) {
                f.get();
            }
            long floodMillis = (System.nanoTime() - t0) / 1_000_000;
            flooding.set(false);
            int probeCount = probes.get();
            pool.shutdown();
            long after = normalCallMillis(server, probe);
            System.out.printf(
                    "flood: %d initialize calls with one read-only token in %d ms: %d sessions made, %d refused"
                            + " (429); at most %d sessions held; %d normal calls meanwhile, slowest %d ms;"
                            + " a normal call after the flood %d ms%n",
                    calls,
                    floodMillis,
                    created.get(),
                    refused.get(),
                    mostSessions.get(),
                    probeCount,
                    slowestProbe.get(),
                    after);

            assertThat(unexpected).isEmpty();
            assertThat(created).hasValue(limits.maxSessionsPerToken());
            assertThat(refused).hasValue(calls - limits.maxSessionsPerToken());
            assertThat(mostSessions.get()).isLessThanOrEqualTo(limits.maxSessionsPerToken() + 1);
            assertThat(server.sessionCount()).isEqualTo(limits.maxSessionsPerToken() + 1);
            assertThat(probeCount).isPositive();
            assertThat(slowestProbe.get()).isLessThan(1000);
            assertThat(after).isLessThan(1000);

            HttpResponse<String> refusal = post(server, INIT, READER, null);
            assertThat(refusal.statusCode()).isEqualTo(429);
            assertThat(refusal.headers().firstValue("Retry-After")).isPresent();
            assertThat(refusal.body())
                    .contains("\"error\":\"too_many_sessions\"")
                    .contains("mcp.max_sessions_per_token");
        }
    }

    @Test
    void theTotalCapHoldsAcrossTokensAndAnEndedSessionFreesItsPlace() throws Exception {
        try (JettyMcpHttpServer server = start(HttpLimits.defaults().withSessions(4, 3, Duration.ofMinutes(30)))) {
            List<String> reader = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reader.add(session(server, READER));
            }
            assertThat(post(server, INIT, READER, null).statusCode()).isEqualTo(429);
            session(server, FULL);
            HttpResponse<String> full = post(server, INIT, FULL, null);
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(full.body()).contains("mcp.max_sessions");
            assertThat(server.sessionCount()).isEqualTo(4);

            HttpResponse<Void> delete = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
                            .header("Authorization", "Bearer " + READER)
                            .header("Mcp-Session-Id", reader.get(0))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(delete.statusCode()).isEqualTo(200);
            assertThat(server.sessionCount()).isEqualTo(3);
            assertThat(post(server, LIST, READER, reader.get(0)).statusCode()).isEqualTo(404);
            session(server, FULL);
        }
    }

    @Test
    void aClientThatClosesItsSessionGivesItsPlaceBack() throws Exception {
        // lifeboat mcp call --url runs one session per call: the SDK client ends it with DELETE on close
        HttpLimits limits = HttpLimits.defaults().withSessions(4, 2, Duration.ofMinutes(30));
        try (JettyMcpHttpServer server = start(limits)) {
            for (int i = 0; i < 6; i++) {
                try (McpToolClient client =
                        McpToolClient.http("http://127.0.0.1:" + server.port() + "/mcp", READER, m -> {})) {
                    assertThat(client.call("list_backups", java.util.Map.of()).isError())
                            .isFalse();
                    assertThat(server.sessionCount()).isEqualTo(1);
                }
                assertThat(server.sessionCount()).isZero();
            }
        }
    }

    @Test
    void idleSessionsEndButOneWithAnOpenStreamStays() throws Exception {
        HttpLimits limits = HttpLimits.defaults().withSessions(64, 16, Duration.ofSeconds(1));
        try (JettyMcpHttpServer server = start(limits)) {
            String idle = session(server, FULL);
            String streaming = session(server, FULL);
            // a GET stream, held open; async: the SDK sends its headers only with the first event
            CompletableFuture<HttpResponse<InputStream>> stream = http.sendAsync(
                    HttpSecurityTest.sessionStream(
                            URI.create("http://127.0.0.1:" + server.port() + "/mcp"), FULL, streaming),
                    HttpResponse.BodyHandlers.ofInputStream());
            try {
                long t0 = System.nanoTime();
                long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
                while (server.sessionCount() > 1 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long endedAfter = (System.nanoTime() - t0) / 1_000_000;
                HttpResponse<String> gone = post(server, LIST, FULL, idle);
                System.out.printf(
                        "idle: with session_idle_timeout %s a session without requests ended %d ms after its last"
                                + " one; the request naming it then got %d; a session with an open GET stream stayed%n",
                        limits.sessionIdleTimeout(), endedAfter, gone.statusCode());
                assertThat(gone.statusCode()).isEqualTo(404);
                assertThat(gone.body()).contains("session_not_found").contains("initialize a new one");
                assertThat(server.sessionCount()).isEqualTo(1);
                assertThat(post(server, LIST, FULL, streaming).statusCode()).isEqualTo(200);
            } finally {
                stream.cancel(true);
            }
        }
    }

    @Test
    void slowBodiesHoldNoThreadAndAreCutOff() throws Exception {
        Duration bodyTimeout = Duration.ofSeconds(2);
        try (JettyMcpHttpServer server = start(HttpLimits.defaults().withRequestBodyTimeout(bodyTimeout))) {
            String probe = session(server, FULL);
            int attackers = 300;
            List<Socket> slow = new ArrayList<>();
            ConcurrentHashMap<Socket, Long> sentAt = new ConcurrentHashMap<>();
            try {
                for (int i = 0; i < attackers; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.getOutputStream()
                            .write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                                            + "\r\nAuthorization: Bearer " + READER
                                            + "\r\nContent-Type: application/json\r\nAccept: application/json,"
                                            + " text/event-stream\r\nContent-Length: 200000\r\n\r\n{\"jsonrpc\"")
                                    .getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                    sentAt.put(s, System.nanoTime());
                }
                // the attackers trickle a byte each every 300 ms
                ConcurrentHashMap<Socket, Long> cutAt = new ConcurrentHashMap<>();
                AtomicBoolean trickling = new AtomicBoolean(true);
                Thread trickle = new Thread(() -> {
                    while (trickling.get()) {
                        for (Socket s : slow) {
                            if (!cutAt.containsKey(s)) {
                                try {
                                    s.getOutputStream().write(' ');
                                } catch (IOException e) {
                                    cutAt.putIfAbsent(s, System.nanoTime());
                                }
                            }
                        }
                        try {
                            Thread.sleep(300);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                trickle.start();
                List<Long> probes = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    probes.add(normalCallMillis(server, probe));
                    Thread.sleep(250);
                }
                // every slow connection gets its 408 (or is closed) once its body time is up
                ExecutorService readers = Executors.newFixedThreadPool(32);
                List<Future<String>> answers = new ArrayList<>();
                ConcurrentHashMap<Socket, Long> cutAfter = new ConcurrentHashMap<>();
                for (Socket s : slow) {
                    answers.add(readers.submit(() -> {
                        s.setSoTimeout(15_000);
                        String status = firstLine(s.getInputStream());
                        cutAfter.put(s, (System.nanoTime() - sentAt.get(s)) / 1_000_000);
                        return status;
                    }));
                }
                int answered408 = 0;
                int stillOpen = 0;
                for (Future<String> f : answers) {
                    String status = f.get();
                    if (status.contains(" 408 ")) {
                        answered408++;
                    } else if (!status.equals("closed")) {
                        stillOpen++;
                    }
                }
                readers.shutdown();
                List<Long> cuts = new ArrayList<>(cutAfter.values());
                Collections.sort(cuts);
                long first = cuts.get(0);
                long median = cuts.get(cuts.size() / 2);
                long slowest = cuts.get(cuts.size() - 1);
                trickling.set(false);
                trickle.join();
                long after = normalCallMillis(server, probe);
                System.out.printf(
                        "slow bodies: %d connections announcing 200000 bytes and trickling one byte every 300 ms;"
                                + " normal calls meanwhile took %s ms; %d got 408 (the rest were closed), %d to %d"
                                + " ms after their headers (median %d; body timeout %s); a normal call after %d ms%n",
                        attackers, probes, answered408, first, slowest, median, bodyTimeout, after);
                assertThat(probes).allSatisfy(ms -> assertThat(ms).isLessThan(1000));
                assertThat(first).isGreaterThanOrEqualTo(bodyTimeout.toMillis() - 100);
                // cut by the deadline, not by the 45 s idle timeout a trickle never reaches (the margin is for a
                // loaded machine: 300 408s are written by one scheduler thread)
                assertThat(slowest).isLessThan(bodyTimeout.toMillis() + 8000);
                assertThat(answered408).isPositive();
                assertThat(stillOpen).isZero();
                assertThat(after).isLessThan(1000);
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aCallerWithoutAValidTokenCannotMakeTheServerWaitForItsBody() throws Exception {
        try (JettyMcpHttpServer server = start(HttpLimits.defaults());
                Socket s = new Socket("127.0.0.1", server.port())) {
            long t0 = System.nanoTime();
            s.getOutputStream()
                    .write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                                    + "\r\nAuthorization: Bearer lbt_wrong\r\nContent-Type: application/json"
                                    + "\r\nContent-Length: 200000\r\n\r\n{")
                            .getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            assertThat(firstLine(s.getInputStream())).contains(" 401 ");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        }
    }

    @Test
    void oversizedBodiesGet413BeforeTheyAreKept() throws Exception {
        HttpLimits limits = HttpLimits.defaults();
        try (JettyMcpHttpServer server = start(limits)) {
            String big = initializeWithClientInfoOf(300 * 1024);
            // Content-Length announces it: refused before a byte of it is read
            String headersOnly = raw(
                    server,
                    "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer " + READER
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n");
            assertThat(headersOnly)
                    .startsWith("HTTP/1.1 413 ")
                    .contains("too_large")
                    .contains("256 KiB");
            String expecting = raw(
                    server,
                    "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer " + READER
                            + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
                            + big.length() + "\r\n\r\n");
            assertThat(expecting).startsWith("HTTP/1.1 413 ");
            // chunked, no length: refused once the bytes read pass the limit
            int limit = limits.maxRequestBytes();
            String chunked = raw(
                    server,
                    "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer " + READER
                            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(limit + 1) + "\r\n" + big.substring(0, limit + 1));
            assertThat(chunked).startsWith("HTTP/1.1 413 ");
            // under the body limit, over the initialize limit: a session would keep it for its life
            HttpResponse<String> initialize = post(server, initializeWithClientInfoOf(20 * 1024), READER, null);
            assertThat(initialize.statusCode()).isEqualTo(413);
            assertThat(initialize.body()).contains("initialize request is at most 16 KiB");

            // many at once, sending their whole bodies, announced or chunked: nothing is kept, the server
            // stays well. A client that sends a refused body anyway may see its connection closed before
            // it reads the 413: the server does not read what it refused.
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> answers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                boolean useChunks = i % 2 == 0;
                answers.add(pool.submit(() -> sendWhole(server, big, useChunks)));
            }
            int refused = 0;
            for (Future<String> f : answers) {
                String status = f.get();
                assertThat(status).matches("HTTP/1.1 413 .*|closed");
                refused += status.startsWith("HTTP/1.1 413 ") ? 1 : 0;
            }
            pool.shutdown();
            System.out.printf(
                    "oversized: 200 initialize calls of 300 KiB (half chunked) sent whole in %d ms: %d answered"
                            + " 413, the others closed unread; %d sessions; heap used %d MiB of %d MiB%n",
                    (System.nanoTime() - t0) / 1_000_000,
                    refused,
                    server.sessionCount(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
            assertThat(server.sessionCount()).isZero();

            // a body under the limit is read as before
            String session = session(server, FULL);
            String padded =
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list_backups\","
                            + "\"arguments\":{},\"_meta\":{\"pad\":\"" + "x".repeat(100 * 1024) + "\"}}}";
            HttpResponse<String> fine = post(server, padded, FULL, session);
            assertThat(fine.statusCode()).isEqualTo(200);
            assertThat(fine.body()).contains("\"count\"");
        }
    }

    @Test
    void traceAndOtherMethodsNoTransportUsesGet405AndEchoNothing() throws Exception {
        try (JettyMcpHttpServer server = start(HttpLimits.defaults())) {
            for (String method : List.of("TRACE", "OPTIONS", "HEAD", "PUT", "PATCH")) {
                for (String path : List.of("/mcp", "/sse")) {
                    String answer = raw(
                            server,
                            method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                                    + "\r\nAuthorization: Bearer " + FULL
                                    + "\r\nOrigin: http://localhost:" + server.port()
                                    + "\r\nAccess-Control-Request-Method: POST\r\nX-Marker: echo-me\r\n"
                                    + "Connection: close\r\n\r\n");
                    assertThat(answer).as(method + " " + path).startsWith("HTTP/1.1 405 ");
                    assertThat(answer)
                            .as(method + " " + path)
                            .contains("Allow: GET, POST, DELETE")
                            .doesNotContain(FULL)
                            .doesNotContain("echo-me")
                            .doesNotContainIgnoringCase("authorization")
                            .doesNotContain("Access-Control-Allow");
                }
            }
        }
    }

    @Test
    void sseConnectionsCountAsSessions() throws Exception {
        try (JettyMcpHttpServer server = start(HttpLimits.defaults().withSessions(64, 2, Duration.ofMinutes(30)))) {
            List<HttpResponse<InputStream>> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/sse"))
                                    .header("Accept", "text/event-stream")
                                    .header("Authorization", "Bearer " + READER)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream()));
                }
                assertThat(open.get(0).statusCode()).isEqualTo(200);
                assertThat(open.get(1).statusCode()).isEqualTo(200);
                assertThat(open.get(2).statusCode()).isEqualTo(429);
                assertThat(server.sessionCount()).isEqualTo(2);
            } finally {
                for (HttpResponse<InputStream> r : open) {
                    r.body().close();
                }
            }
        }
    }

    @Test
    void callsTheSdkRefusesLeaveNoCancelSignalBehind() throws Exception {
        CancelRegistry cancels = new CancelRegistry();
        try (JettyMcpHttpServer server = HttpSecurityTest.startOnLoopback(fixture.service, cancels)) {
            String session = session(server, FULL);
            for (int i = 0; i < 50; i++) {
                // without text/event-stream in Accept the SDK answers 400 before any tool runs
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
                                .header("Content-Type", "application/json")
                                .header("Accept", "application/json")
                                .header("Authorization", "Bearer " + FULL)
                                .header("Mcp-Session-Id", session)
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        LIST.replace("\"id\":2", "\"id\":" + (100 + i))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(400);
            }
            String call = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":\"%s\","
                    + "\"arguments\":{}}}";
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 1000; i++) {
                batch.append(i == 0 ? "" : ",").append(call.formatted(1000 + i, "list_backups"));
            }
            post(server, batch.append("]").toString(), FULL, session);
            post(server, call.formatted(5000, "no_such_tool"), FULL, session);
            normalCallMillis(server, session);
            assertThat(signals(cancels)).isZero();
        }
    }

    /** How many cancel signals the registry holds (its package-private size, for this test only). */
    static int signals(CancelRegistry cancels) throws Exception {
        java.lang.reflect.Method size = CancelRegistry.class.getDeclaredMethod("size");
        size.setAccessible(true);
        return (int) size.invoke(cancels);
    }

    static String initializeWithClientInfoOf(int bytes) {
        return "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\""
                + "n".repeat(bytes) + "\",\"version\":\"1\"}}}";
    }

    /** Sends a POST with its whole body (announced, or in 16 KiB chunks); returns the status line or "closed". */
    static String sendWhole(JettyMcpHttpServer server, String body, boolean chunked) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try {
                out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer "
                                + READER + "\r\nContent-Type: application/json\r\nAccept: application/json,"
                                + " text/event-stream\r\n"
                                + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + bytes.length)
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                if (!chunked) {
                    out.write(bytes);
                } else {
                    for (int at = 0; at < bytes.length; at += 16 * 1024) {
                        int n = Math.min(16 * 1024, bytes.length - at);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(bytes, at, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException e) {
                // the server refused and closed while the body was on its way
            }
            return firstLine(s.getInputStream());
        }
    }

    static String raw(JettyMcpHttpServer server, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The status line, or "closed" when the server closed the connection without one. */
    static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "closed";
        }
        String status = line.toString().strip();
        return status.isEmpty() ? "closed" : status;
    }
}
