package dev.lifeboat.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.testing.LoopbackHttp;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Slack, Discord and Teams incoming webhooks against a real HTTP server on loopback: each gets the body
 * its service accepts, carrying one sentence a person reads; the URL's token is never written down; a
 * refused post is retried like a webhook's and never touches the backup.
 */
class ChatNotificationsTest {
    private static final String TOKEN = "B0T-T0KEN-in-the-path-4a5b";

    @TempDir
    Path dir;

    @AutoClose
    private final LoopbackHttp server = LoopbackHttp.start();

    private String url(String path) {
        return server.url(path);
    }

    private JsonNode body(String path) {
        LoopbackHttp.Received r =
                server.at(path).stream().findFirst().orElseThrow(() -> new AssertionError("nothing posted to " + path));
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        return r.json();
    }

    private ServiceOverFakes fakes(String notifyYaml) {
        return ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .raw("notify:\n" + notifyYaml)
                .build();
    }

    @Test
    void eachServiceGetsItsOwnBodyWithTheSameSentence() {
        try (ServiceOverFakes f = fakes("  s: {slack: '" + url("/slack/" + TOKEN) + "'}\n"
                + "  d: {discord: '" + url("/discord") + "'}\n"
                + "  t: {teams: '" + url("/teams") + "'}\n")) {
            f.engine().unreachable();
            assertThatThrownBy(() -> f.backup("app")).isInstanceOf(LifeboatException.class);

            String slack = body("/slack/" + TOKEN).get("text").asString();
            assertThat(slack).startsWith("Backup of database app FAILED").contains("DATABASE_UNREACHABLE: ");

            JsonNode discord = body("/discord");
            assertThat(discord.get("content").asString()).startsWith("Backup of database app FAILED");
            assertThat(discord.get("allowed_mentions").get("parse")).isEmpty();

            JsonNode teams = body("/teams");
            assertThat(teams.get("type").asString()).isEqualTo("message");
            JsonNode card = teams.get("attachments").get(0);
            assertThat(card.get("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
            assertThat(card.get("content").get("type").asString()).isEqualTo("AdaptiveCard");
            assertThat(card.get("content").get("body").get(0).get("text").asString())
                    .startsWith("Backup of database app FAILED");

            f.engine().heal();
            f.advance(java.time.Duration.ofMinutes(1));
            var b = f.backup("app");
            assertThat(server.received()).hasSize(6);
            String recovery = server.received().get(3).json().get("text").asString();
            assertThat(recovery)
                    .startsWith("Backup of database app works again")
                    .contains(b.manifest().id())
                    .contains("in store main");
        }
    }

    @Test
    void slackEscapesWhatItWouldReadAsLinksOrMentions() {
        assertThat(Messages.chatBody(dev.lifeboat.core.config.NotifyTarget.Kind.SLACK, "a <!channel> & b"))
                .containsEntry("text", "a &lt;!channel&gt; &amp; b");
    }

    @Test
    void aRefusedPostIsRetriedThenAuditedWithoutTheToken() throws IOException {
        server.answer("/slack/" + TOKEN, 503);
        try (ServiceOverFakes f = fakes("  s: {slack: '" + url("/slack/" + TOKEN)
                + "', events: [success], retries: 1, retry_delay: PT0.01S}\n")) {
            assertThat(f.backup("app")).isNotNull();
            assertThat(server.received()).hasSize(2);
            assertThat((String) f.lastAudit().get("detail")).contains("slack s: HTTP 503 after 2 attempts");
            assertThat(Files.readString(f.stateDir().resolve("audit.jsonl"))).doesNotContain(TOKEN);
            assertThat(f.service().inventory().toString()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aTargetSetsOneKindOnly() {
        assertThatThrownBy(() -> fakes("  x: {slack: '" + url("/s") + "', teams: '" + url("/t") + "'}\n"))
                .isInstanceOf(LifeboatException.class)
                .hasMessageContaining("notify.x: set exactly one of")
                .hasMessageContaining("found [slack, teams]");
    }
}
