package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.InteropTools;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import dev.lifeboat.mcp.auth.TokenEntry;
import dev.lifeboat.mcp.settings.McpSettings;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} on real Jetty over loopback: the token it needs, and what it answers. */
class MetricsEndpointTest {
    static final String SCRAPER = "lbt_scraper-token-for-tests-0123456789abcd";
    static final String READER = "lbt_read-only-token-for-tests-0123456789";

    @TempDir
    static Path dir;

    static Fixture fixture;
    static JettyMcpHttpServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fixture = new Fixture(dir);
        fixture.seed(Instant.parse("2026-04-01T00:00:00Z"), "PGDMP-metrics", null);
        server = McpServerRunner.startHttp(
                new McpSettings(
                        "127.0.0.1",
                        0,
                        List.of(),
                        List.of(),
                        List.of(
                                new TokenEntry("prometheus", TokenAuthenticator.sha256(SCRAPER), Set.of(Scope.METRICS)),
                                new TokenEntry("reader", TokenAuthenticator.sha256(READER), Set.of(Scope.READ)))),
                Tools.all(fixture.service),
                new CancelRegistry());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        fixture.close();
    }

    static HttpResponse<String> scrape(String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aScraperWithTheMetricsScopeGetsTheExposition() throws Exception {
        HttpResponse<String> r = scrape(SCRAPER);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(r.body())
                .contains("lifeboat_backup_last_success_timestamp_seconds{kind=\"database\",source=\"app\"} ")
                .contains("lifeboat_source_state{kind=\"database\",source=\"app\",lifeboat_source_state=\"OK\"} 1")
                .contains("lifeboat_store_up{store=\"local\"} 1");
    }

    @Test
    void noTokenIs401AndATokenWithoutTheScopeIs403WithAChallenge() throws Exception {
        assertThat(scrape(null).statusCode()).isEqualTo(401);
        HttpResponse<String> reader = scrape(READER);
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(reader.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("insufficient_scope", "scope=\"metrics\"");
        assertThat(reader.body()).doesNotContain("lifeboat_");
    }

    @Test
    void promtoolAcceptsWhatTheServerAnswers() throws Exception {
        Path file = dir.resolve("scraped.prom");
        Files.writeString(file, scrape(SCRAPER).body());
        InteropTools.assertPromtoolAccepts(file);
    }
}
