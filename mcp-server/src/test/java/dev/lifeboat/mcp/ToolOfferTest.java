package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import dev.lifeboat.mcp.auth.TokenEntry;
import dev.lifeboat.mcp.settings.McpSettings;
import dev.lifeboat.mcp.settings.ToolOffer;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each caller is offered, seen through the real Java SDK client: tools/list filtered by a token's
 * scopes, backups:delete apart from backups:write, read-only mode and the mcp.tools allowlist.
 */
class ToolOfferTest {
    static final String ADMIN = "lbt_offer-admin-token-0123456789abcdefghij";
    static final String READER = "lbt_offer-reader-token-0123456789abcdefghi";
    static final String TAKER = "lbt_offer-taker-token-0123456789abcdefghij";
    /** What a backups:read token may call: worked out from the tools, so that a new read tool joins it. */
    static List<String> READ_TOOLS;

    static final String SOME_ID = "app-20261122T071200Z-3f9a";

    @TempDir
    static Path dir;

    static Fixture fixture;
    static List<LifeboatTool> all;

    @BeforeAll
    static void start() throws Exception {
        fixture = new Fixture(dir);
        all = Tools.all(fixture.service);
        READ_TOOLS = all.stream()
                .filter(t -> t.scope() == Scope.READ)
                .map(t -> t.definition().name())
                .toList();
        assertThat(READ_TOOLS)
                .contains("list_databases", "list_backups", "get_backup", "verify_backup", "get_operation")
                .doesNotContain(
                        "create_backup",
                        "restore_backup",
                        "restore_over_existing",
                        "drill_backup",
                        "delete_backup",
                        "prune_backups",
                        "copy_backup");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static McpSettings settings(ToolOffer offer) {
        return new McpSettings(
                        "127.0.0.1",
                        0,
                        List.of(),
                        List.of(),
                        List.of(
                                new TokenEntry("admin", TokenAuthenticator.sha256(ADMIN), EnumSet.allOf(Scope.class)),
                                new TokenEntry("reader", TokenAuthenticator.sha256(READER), Set.of(Scope.READ)),
                                new TokenEntry(
                                        "taker", TokenAuthenticator.sha256(TAKER), Set.of(Scope.READ, Scope.WRITE))))
                .withOffer(offer);
    }

    static JettyMcpHttpServer http(ToolOffer offer) throws Exception {
        return McpServerRunner.startHttp(settings(offer), LifeboatMcpServer.offered(all, offer), new CancelRegistry());
    }

    static McpSyncClient client(JettyMcpHttpServer server, String token) {
        McpSyncClient c = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                        .endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                        .build())
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        c.initialize();
        return c;
    }

    static List<String> names(McpSyncClient c) {
        return c.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    static McpSchema.CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
        return c.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void eachTokenIsShownOnlyTheToolsItsScopesAllow() throws Exception {
        try (JettyMcpHttpServer server = http(ToolOffer.ALL)) {
            McpSyncClient admin = client(server, ADMIN);
            McpSyncClient reader = client(server, READER);
            McpSyncClient taker = client(server, TAKER);
            try {
                assertThat(names(admin))
                        .containsExactlyElementsOf(
                                all.stream().map(t -> t.definition().name()).toList());
                assertThat(names(reader)).containsExactlyInAnyOrderElementsOf(READ_TOOLS);
                List<String> takes = new ArrayList<>(READ_TOOLS);
                takes.addAll(List.of("create_backup", "copy_backup"));
                assertThat(names(taker)).containsExactlyInAnyOrderElementsOf(takes);
            } finally {
                admin.closeGracefully();
                reader.closeGracefully();
                taker.closeGracefully();
            }
        }
    }

    @Test
    void aTokenThatMayTakeBackupsMayNotDeleteOrPruneThem() throws Exception {
        try (JettyMcpHttpServer server = http(ToolOffer.ALL)) {
            McpSyncClient taker = client(server, TAKER);
            try {
                for (String tool : List.of("delete_backup", "prune_backups")) {
                    Map<String, Object> args = tool.equals("delete_backup") ? Map.of("backup_id", SOME_ID) : Map.of();
                    // the filter refuses before the SDK answers: an HTTP 403 naming backups:delete
                    assertThatThrownBy(() -> call(taker, tool, args))
                            .as(tool)
                            .isInstanceOfSatisfying(McpHttpClientTransportAuthorizationException.class, e -> {
                                assertThat(e.getResponseInfo().statusCode()).isEqualTo(403);
                                assertThat(e.getResponseInfo()
                                                .headers()
                                                .firstValue("WWW-Authenticate")
                                                .orElseThrow())
                                        .contains("scope=\"backups:delete\"");
                            });
                }
            } finally {
                taker.closeGracefully();
            }
        }
    }

    @Test
    void readOnlyModeOffersOnlyReadToolsEvenToAFullToken() throws Exception {
        ToolOffer readOnly = new ToolOffer(true, Set.of());
        try (JettyMcpHttpServer server = http(readOnly)) {
            McpSyncClient admin = client(server, ADMIN);
            try {
                assertThat(names(admin)).containsExactlyInAnyOrderElementsOf(READ_TOOLS);
                // verify_backup only reads: its restore drill is drill_backup, which is not offered
                McpSchema.CallToolResult drill =
                        call(admin, "verify_backup", Map.of("backup_id", SOME_ID, "level", "restore"));
                assertThat(drill.isError()).isTrue();
                assertThat(text(drill)).startsWith("INVALID_ARGUMENT:");
                // a tool that is not offered does not exist for the client
                assertThatThrownBy(() -> call(admin, "delete_backup", Map.of("backup_id", SOME_ID)))
                        .isInstanceOfSatisfying(
                                McpError.class,
                                e -> assertThat(e.getJsonRpcError().data())
                                        .hasToString("Tool not found: delete_backup"));
                McpSchema.CallToolResult listed = call(admin, "list_backups", Map.of());
                assertThat(listed.isError()).isFalse();
            } finally {
                admin.closeGracefully();
            }
        }
    }

    @Test
    void theAllowlistOffersOnlyTheToolsItNames() throws Exception {
        ToolOffer only = new ToolOffer(false, Set.of("list_backups", "create_backup"));
        try (JettyMcpHttpServer server = http(only)) {
            McpSyncClient admin = client(server, ADMIN);
            McpSyncClient reader = client(server, READER);
            try {
                assertThat(names(admin)).containsExactly("create_backup", "list_backups");
                assertThat(names(reader)).containsExactly("list_backups");
            } finally {
                admin.closeGracefully();
                reader.closeGracefully();
            }
        }
    }

    @Test
    void anAllowlistNamingAnUnknownToolRefusesToStartNamingTheSetting() {
        assertThatThrownBy(
                        () -> LifeboatMcpServer.offered(all, new ToolOffer(false, Set.of("list_backups", "drop_db"))))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("mcp.tools")
                .hasMessageContaining("drop_db");
    }

    @Test
    void anAllowlistOfOnlyWriteToolsInReadOnlyModeRefusesToStart() {
        assertThatThrownBy(() -> LifeboatMcpServer.offered(all, new ToolOffer(true, Set.of("delete_backup"))))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("mcp.tools")
                .hasMessageContaining("read-only");
    }

    @Test
    void theReadOnlyFlagNarrowsAStdioServer() {
        List<String> command = new ArrayList<>(McpClients.serverCommand(fixture.configFile));
        command.add("--read-only");
        McpSyncClient c = McpClient.sync(new StdioClientTransport(
                        ServerParameters.builder(command.get(0))
                                .args(command.subList(1, command.size()))
                                .env(new HashMap<>(fixture.env()))
                                .build(),
                        McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        try {
            c.initialize();
            assertThat(names(c)).containsExactlyInAnyOrderElementsOf(READ_TOOLS);
        } finally {
            c.closeGracefully();
        }
    }
}
