package dev.lifeboat.core.testing;

import com.sun.net.httpserver.HttpServer;
import dev.lifeboat.core.base.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;

/**
 * A real HTTP server on loopback (the JDK's) that records every request and answers 200, or the
 * status a test set for a path: what webhooks, pings and chat services receive from Lifeboat.
 *
 * <pre>{@code
 * @AutoClose private final LoopbackHttp server = LoopbackHttp.start();
 * ... notify: {ops: {webhook: server.url("/hook")}} ...
 * assertThat(server.at("/hook")).hasSize(1);
 * }</pre>
 */
public final class LoopbackHttp implements AutoCloseable {
    /** One request as the server received it. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        /** The first value of the header {@code name} (any case), or null. */
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        /** The body read as JSON. */
        public JsonNode json() {
            return Json.mapper().readTree(body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();

    private LoopbackHttp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String path = exchange.getRequestURI().getPath();
                received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body));
                int status = answers.getOrDefault(path, 200);
                if (status < 0) {
                    try {
                        Thread.sleep(-status);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    status = 200;
                }
                exchange.sendResponseHeaders(status, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** A started server on a free loopback port. */
    public static LoopbackHttp start() {
        try {
            return new LoopbackHttp();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of {@code path} on this server. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers {@code status} to requests for {@code path}; a negative status sleeps that many ms, then answers 200. */
    public void answer(String path, int status) {
        answers.put(path, status);
    }

    /** Every request so far, in the order they arrived. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The requests so far for {@code path}. */
    public List<Received> at(String path) {
        return received().stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
