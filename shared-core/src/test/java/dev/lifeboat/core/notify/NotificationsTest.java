package dev.lifeboat.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.Secret;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.testing.LoopbackHttp;
import dev.lifeboat.core.testing.LoopbackHttp.Received;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Notifications against a real HTTP server on loopback (the JDK's): what a webhook and a
 * healthchecks-style ping receive, signatures, retries and timeouts, and that no failure of theirs
 * reaches the backup.
 */
class NotificationsTest {
    private static final String SECRET = "webhook-signing-key-for-tests";
    private static final String TOKEN = "T0KEN-in-the-path-9f8e7d";

    @TempDir
    Path dir;

    private ServiceOverFakes fakes(String notifyYaml) {
        return ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .env("HOOK_SECRET", SECRET)
                .raw("notify:\n" + notifyYaml)
                .build();
    }

    @AutoClose
    private final LoopbackHttp server = LoopbackHttp.start();

    private String url(String path) {
        return server.url(path);
    }

    private List<Received> at(String path) {
        return server.at(path);
    }

    @Test
    void aFailureReachesTheWebhookAsSignedJsonAndTheBackupStillFailsWithItsOwnError() {
        try (ServiceOverFakes f = fakes("  ops: {webhook: '" + url("/hook") + "', secret_env: HOOK_SECRET}")) {
            f.engine().unreachable();
            assertThatThrownBy(() -> f.backup("app"))
                    .isInstanceOfSatisfying(
                            LifeboatException.class,
                            e -> assertThat(e.code().name()).isEqualTo("DATABASE_UNREACHABLE"));
            Received r = at("/hook").get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("X-Lifeboat-Event")).isEqualTo("failure");
            assertThat(r.header(Notifications.SIGNATURE_HEADER))
                    .isEqualTo("sha256="
                            + Notifications.hmac(Secret.of(SECRET), r.body().getBytes(StandardCharsets.UTF_8)));
            JsonNode body = Json.mapper().readTree(r.body());
            assertThat(body.get("event").asString()).isEqualTo("failure");
            assertThat(body.get("source").asString()).isEqualTo("app");
            assertThat(body.get("kind").asString()).isEqualTo("database");
            assertThat(body.get("error").get("code").asString()).isEqualTo("DATABASE_UNREACHABLE");
            assertThat(body.get("lifeboat_version").asString()).isNotBlank();
        }
    }

    @Test
    void aSuccessAfterAFailureIsARecoveryAndAPlainSuccessIsNotSentByDefault() {
        try (ServiceOverFakes f = fakes("  ops: {webhook: '" + url("/hook") + "'}")) {
            f.backup("app");
            assertThat(at("/hook")).isEmpty();
            f.engine().unreachable();
            assertThatThrownBy(() -> f.backup("app")).isInstanceOf(LifeboatException.class);
            f.engine().heal();
            f.advance(Duration.ofMinutes(1));
            BackupRecord b = f.backup("app");
            assertThat(at("/hook"))
                    .extracting(r -> r.header("X-Lifeboat-Event"))
                    .containsExactly("failure", "recovery");
            JsonNode recovery = Json.mapper().readTree(at("/hook").get(1).body());
            assertThat(recovery.get("backup_id").asString())
                    .isEqualTo(b.manifest().id());
            assertThat(recovery.get("size_bytes").asLong())
                    .isEqualTo(b.manifest().sizeBytes());
            assertThat(recovery.has("error")).isFalse();
            assertThat(at("/hook").get(1).header(Notifications.SIGNATURE_HEADER))
                    .isNull();
        }
    }

    @Test
    void aPingIsToldOfTheStartAndTheOutcome() {
        try (ServiceOverFakes f = fakes("  hc: {ping: '" + url("/ping/abc") + "'}")) {
            f.backup("app");
            f.engine().unreachable();
            assertThatThrownBy(() -> f.backup("app")).isInstanceOf(LifeboatException.class);
            assertThat(server.received())
                    .extracting(Received::path)
                    .containsExactly("/ping/abc/start", "/ping/abc", "/ping/abc/start", "/ping/abc/fail");
            assertThat(at("/ping/abc/fail").get(0).body()).startsWith("DATABASE_UNREACHABLE: ");
        }
    }

    @Test
    void aServerErrorIsRetriedWithBackoffThenAuditedAndTheBackupSucceeds() throws IOException {
        server.answer("/hook", 503);
        try (ServiceOverFakes f = fakes(
                "  ops: {webhook: '" + url("/hook") + "', events: [success], retries: 2, retry_delay: PT0.05S}")) {
            long t0 = System.nanoTime();
            BackupRecord b = f.backup("app");
            long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(b.manifest().id()).isNotBlank();
            assertThat(at("/hook")).hasSize(3);
            assertThat(waitedMillis)
                    .as("50 ms, then 100 ms between the attempts")
                    .isGreaterThanOrEqualTo(150);
            Map<String, Object> line = f.lastAudit();
            assertThat(line).containsEntry("operation", "notify").containsEntry("target", "ops");
            assertThat((String) line.get("detail")).contains("HTTP 503 after 3 attempts");
        }
    }

    @Test
    void aClientErrorIsNotRetried() {
        server.answer("/hook", 404);
        try (ServiceOverFakes f = fakes(
                "  ops: {webhook: '" + url("/hook") + "', events: [success], retries: 3, retry_delay: PT0.01S}")) {
            f.backup("app");
            assertThat(at("/hook")).hasSize(1);
            assertThat((String) f.lastAudit().get("detail")).contains("HTTP 404 (not retried)");
        }
    }

    @Test
    void aTargetSlowerThanItsTimeoutIsGivenUpOnAndTheBackupStands() {
        server.answer("/slow", -3_000);
        try (ServiceOverFakes f =
                fakes("  ops: {webhook: '" + url("/slow") + "', events: [success], timeout: PT0.2S, retries: 0}")) {
            long t0 = System.nanoTime();
            BackupRecord b = f.backup("app");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_500);
            assertThat(b).isNotNull();
            assertThat((String) f.lastAudit().get("detail")).contains("HttpTimeoutException");
        }
    }

    @Test
    void anUnreachableTargetNeverFailsTheBackup() throws IOException {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (ServiceOverFakes f = fakes("  ops: {webhook: 'http://127.0.0.1:" + closed + "/x', events: [success],"
                + " retries: 1, retry_delay: PT0.01S}")) {
            assertThat(f.backup("app")).isNotNull();
            assertThat((String) f.lastAudit().get("detail")).contains("after 2 attempts");
        }
    }

    @Test
    void aWebhookUrlsTokenIsNeverWrittenToTheAuditLog() throws IOException {
        server.answer("/hooks/" + TOKEN, 500);
        try (ServiceOverFakes f =
                fakes("  ops: {webhook: '" + url("/hooks/" + TOKEN) + "', events: [success], retries: 0}")) {
            f.backup("app");
            String audit = Files.readString(f.stateDir().resolve("audit.jsonl"));
            assertThat(audit).contains("\"operation\":\"notify\"").doesNotContain(TOKEN);
        }
        assertThat(dev.lifeboat.core.base.Redactor.global().redact("posting to " + url("/hooks/" + TOKEN)))
                .doesNotContain(TOKEN);
    }

    @Test
    void aMissingSigningSecretIsNotSentUnsignedButAudited() {
        try (ServiceOverFakes f =
                fakes("  ops: {webhook: '" + url("/hook") + "', secret_env: NOT_SET, events: [success]}")) {
            f.backup("app");
            assertThat(at("/hook")).isEmpty();
            assertThat((String) f.lastAudit().get("detail")).contains("secret_env NOT_SET is not set");
        }
    }

    @Test
    void badTargetsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> fakes("  a: {webhook: 'ftp://x/y'}\n  b: {ping: '" + url("/p")
                        + "', events: [failure]}\n"
                        + "  c: {webhook: '" + url("/h") + "', events: [exploded]}\n  d: {webhook: '" + url("/h")
                        + "', ping: '" + url("/p") + "'}\n  e: {webhook: '" + url("/h") + "', timeout: 1h}"))
                .isInstanceOf(LifeboatException.class)
                .hasMessageContaining("notify.a.webhook: must be an http:// or https:// URL")
                .hasMessageContaining("notify.b.events: a ping gets every run")
                .hasMessageContaining("notify.c.events: 'exploded' is not one of")
                .hasMessageContaining("notify.d: set exactly one of 'webhook'")
                .hasMessageContaining("notify.e.timeout: '1h' is not a duration up to 5m");
    }

    @Test
    void suffixesGoIntoThePathBeforeTheQuery() {
        assertThat(Notifications.suffixed(URI.create("https://hc.example/ping/u-1?rid=7"), "/start"))
                .hasToString("https://hc.example/ping/u-1/start?rid=7");
        assertThat(Notifications.suffixed(URI.create("https://hc.example/ping/u-1/"), "/fail"))
                .hasToString("https://hc.example/ping/u-1/fail");
    }
}
