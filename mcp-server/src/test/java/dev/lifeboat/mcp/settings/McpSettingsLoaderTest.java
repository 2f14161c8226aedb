package dev.lifeboat.mcp.settings;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpSettingsLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("lifeboat.yaml");
        Files.writeString(f, "databases:\n  app:\n    user: app\n" + yaml);
        return f;
    }

    /** The settings of one token, for {@code subject}, with the scopes listed in {@code scopes}. */
    private McpSettings oneToken(String subject, String scopes) throws Exception {
        return McpSettingsLoader.load(
                write("""
                mcp:
                  tokens:
                    - subject: %s
                      sha256: %s
                      scopes: [%s]
                """.formatted(subject, TokenAuthenticator.sha256("lbt_" + subject), scopes)));
    }

    @Test
    void noSectionMeansLoopbackDefaultsWithoutTokens() throws Exception {
        McpSettings s = McpSettingsLoader.load(write(""));
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8765);
        assertThat(s.tokens()).isEmpty();
    }

    @Test
    void readsListenerOriginsAndHashedTokensWithScopes() throws Exception {
        String hash = TokenAuthenticator.sha256("lbt_x");
        McpSettings s = McpSettingsLoader.load(write("""
                mcp:
                  bind: 0.0.0.0
                  port: 9000
                  allowed_origins: [https://console.example.com]
                  tokens:
                    - subject: laptop
                      sha256: sha256:%s
                      scopes: [backups:read, backups:restore]
                """.formatted(hash.toUpperCase())));
        assertThat(s.bind()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(9000);
        assertThat(s.allowedOrigins()).containsExactly("https://console.example.com");
        assertThat(s.tokens()).singleElement().satisfies(t -> {
            assertThat(t.subject()).isEqualTo("laptop");
            assertThat(t.sha256()).isEqualTo(hash);
            assertThat(t.scopes()).isEqualTo(Set.of(Scope.READ, Scope.RESTORE));
        });
        assertThat(new TokenAuthenticator(s.tokens()).authenticate("lbt_x")).isPresent();
        assertThat(new TokenAuthenticator(s.tokens()).authenticate("lbt_y")).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsSetting() throws Exception {
        Path f = write("""
                mcp:
                  port: 70000
                  colour: blue
                  allowed_origins: [https://x.example/path]
                  tokens:
                    - subject: a
                      token: lbt_plaintext
                      sha256: abc
                      scopes: [admin]
                """);
        LifeboatException e = refused(ErrorCode.CONFIG_INVALID, () -> McpSettingsLoader.load(f));
        assertThat(e.getMessage())
                .contains("mcp.port")
                .contains("mcp.colour: unknown setting")
                .contains("mcp.allowed_origins")
                .contains("mcp.tokens[0].token: tokens are stored as hashes only")
                .contains("mcp.tokens[0].sha256")
                .contains("mcp.tokens[0].scopes: 'admin'")
                .doesNotContain("lbt_plaintext");
    }

    @Test
    void tokensAreRequiredUnlessTheOperatorOptsOut() throws Exception {
        assertThat(McpSettingsLoader.load(write("")).allowUnauthenticatedLocal())
                .isFalse();
        assertThat(McpSettingsLoader.load(write("mcp:\n  allow_unauthenticated_local: true\n"))
                        .allowUnauthenticatedLocal())
                .isTrue();
        assertThatThrownBy(() -> McpSettingsLoader.load(write("mcp:\n  allow_unauthenticated_local: \"yes\"\n")))
                .hasMessageContaining("mcp.allow_unauthenticated_local: must be true or false");
        Path both = write("""
                mcp:
                  allow_unauthenticated_local: true
                  tokens:
                    - subject: laptop
                      sha256: %s
                      scopes: [backups:read]
                """.formatted(TokenAuthenticator.sha256("lbt_x")));
        assertThatThrownBy(() -> McpSettingsLoader.load(both))
                .hasMessageContaining(
                        "mcp.allow_unauthenticated_local: true has no effect while mcp.tokens are configured");
    }

    @Test
    void tokensAreRequiredAndTheLimitsHaveDefaults() throws Exception {
        McpSettings s = McpSettingsLoader.load(write(""));
        assertThat(s.allowUnauthenticatedLocal()).isFalse();
        assertThat(s.limits()).isEqualTo(HttpLimits.defaults());
        assertThat(s.limits().maxSessions()).isEqualTo(64);
        assertThat(s.limits().maxSessionsPerToken()).isEqualTo(16);
        assertThat(s.limits().sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void readsTheOptOutAndTheSessionLimits() throws Exception {
        McpSettings s = McpSettingsLoader.load(write("""
                mcp:
                  allow_unauthenticated_local: true
                  max_sessions: 10
                  max_sessions_per_token: 3
                  session_idle_timeout: 90s
                """));
        assertThat(s.allowUnauthenticatedLocal()).isTrue();
        assertThat(s.limits().maxSessions()).isEqualTo(10);
        assertThat(s.limits().maxSessionsPerToken()).isEqualTo(3);
        assertThat(s.limits().sessionIdleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(McpSettingsLoader.load(write("mcp:\n  session_idle_timeout: PT2H\n"))
                        .limits()
                        .sessionIdleTimeout())
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void badLimitsAreReported() throws Exception {
        Path f = write("""
                mcp:
                  max_sessions: 0
                  max_sessions_per_token: 100
                  session_idle_timeout: 1s
                """);
        assertThat(refused(() -> McpSettingsLoader.load(f)).getMessage())
                .contains("mcp.max_sessions: '0' is not a number from 1 to 10000")
                .contains("mcp.max_sessions_per_token: 100 is more than mcp.max_sessions")
                .contains("mcp.session_idle_timeout: '1s' is not a duration between 10s and 24h");
    }

    @Test
    void readsReadOnlyAndTheToolAllowlist() throws Exception {
        McpSettings s = McpSettingsLoader.load(write("""
                mcp:
                  read_only: true
                  tools: [list_backups, verify_backup]
                """));
        assertThat(s.offer().readOnly()).isTrue();
        assertThat(s.offer().allowlist()).containsExactlyInAnyOrder("list_backups", "verify_backup");
        assertThat(s.offer().ceiling()).containsExactly(Scope.READ);
        assertThat(McpSettingsLoader.load(write("")).offer()).isEqualTo(ToolOffer.ALL);
    }

    @Test
    void badReadOnlyAndToolSettingsAreNamedAllAtOnce() throws Exception {
        assertThat(refused(ErrorCode.CONFIG_INVALID, () -> McpSettingsLoader.load(write("""
                        mcp:
                          read_only: "yes"
                          tools: [list_backups, "Drop Table", list_backups]
                        """))))
                .hasMessageContaining("3 problems")
                .hasMessageContaining("mcp.read_only: must be true or false")
                .hasMessageContaining("mcp.tools: 'Drop Table' is not a tool name")
                .hasMessageContaining("mcp.tools: 'list_backups' is listed twice");
        assertThatThrownBy(() -> McpSettingsLoader.load(write("mcp:\n  tools: []\n")))
                .hasMessageContaining("mcp.tools: must be a non-empty list");
    }

    @Test
    void backupsDeleteIsAScopeOfItsOwn() throws Exception {
        McpSettings s = oneToken("janitor", "backups:read, backups:delete");
        assertThat(s.tokens().get(0).scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.DELETE);
        assertThat(McpSettingsLoader.notes(s)).isEmpty();
    }

    @Test
    void aTokenWithWriteButNotDeleteIsNamedAtStartAsNoLongerDeleting() throws Exception {
        McpSettings s = oneToken("ci", "backups:read, backups:write");
        assertThat(s.tokens().get(0).scopes()).doesNotContain(Scope.DELETE);
        assertThat(McpSettingsLoader.notes(s))
                .singleElement()
                .asString()
                .contains("token 'ci' has backups:write but not backups:delete")
                .contains("add backups:delete");
    }
}
