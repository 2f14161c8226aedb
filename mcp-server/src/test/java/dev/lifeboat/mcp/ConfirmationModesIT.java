package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator approval and token expiry, as a client sees them. */
class ConfirmationModesIT {
    @TempDir
    Path dir;

    private static McpSyncClient connect(JettyMcpHttpServer server) {
        McpSyncClient c = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                        .endpoint("/mcp")
                        .requestBuilder(
                                HttpRequest.newBuilder().header("Authorization", "Bearer " + HttpSecurityTest.FULL))
                        .build())
                .build();
        c.initialize();
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> confirmation(McpSchema.CallToolResult r) {
        return (Map<String, Object>) ((Map<String, Object>) r.structuredContent()).get("confirmation");
    }

    @SuppressWarnings("unchecked")
    private static String code(McpSchema.CallToolResult r) {
        assertThat(r.isError()).as(String.valueOf(r)).isTrue();
        return (String) ((Map<String, Object>) ((Map<String, Object>) r.structuredContent()).get("error")).get("code");
    }

    @Test
    void operatorModeNeedsAPersonToApproveBeforeTheTokenWorks() throws Exception {
        try (Fixture f = new Fixture(dir, "confirm:\n  approval: operator\n");
                JettyMcpHttpServer server = McpServerRunner.startHttp(
                        HttpSecurityTest.settings("127.0.0.1"), Tools.all(f.service), new CancelRegistry())) {
            String id = f.seed(Instant.parse("2026-02-01T00:00:00Z"), "PGDMP-op", null);
            McpSyncClient client = connect(server);
            McpSchema.CallToolResult plan =
                    client.callTool(new McpSchema.CallToolRequest("delete_backup", Map.of("backup_id", id)));
            Map<String, Object> c = confirmation(plan);
            assertThat(c).containsEntry("operator_approval_required", true);
            String planId = (String) c.get("plan_id");
            assertThat(((Map<?, ?>) plan.structuredContent()).get("instruction").toString())
                    .contains("operator's approval of plan " + planId)
                    .doesNotContain("lifeboat approve");

            Map<String, Object> withToken = Map.of("backup_id", id, "confirm_token", c.get("token"));
            McpSchema.CallToolResult early = client.callTool(new McpSchema.CallToolRequest("delete_backup", withToken));
            assertThat(code(early)).isEqualTo("CONFIRMATION_REQUIRED");
            // the model is told approval is needed, never the command that gives it
            assertThat(early.content().toString()).contains(planId).doesNotContain("lifeboat approve");

            // what 'lifeboat approve <plan-id>' does in the operator's terminal
            f.service.approve(planId, "operator-alice");
            McpSchema.CallToolResult done = client.callTool(new McpSchema.CallToolRequest("delete_backup", withToken));
            assertThat(done.isError()).as(String.valueOf(done)).isFalse();
            assertThat(((Map<?, ?>) done.structuredContent()).get("status")).isEqualTo("deleted");
            client.closeGracefully();
        }
    }

    @Test
    void anExpiredTokenIsRejected() throws Exception {
        try (Fixture f = new Fixture(dir, "confirm:\n  token_ttl: 1s\n");
                JettyMcpHttpServer server = McpServerRunner.startHttp(
                        HttpSecurityTest.settings("127.0.0.1"), Tools.all(f.service), new CancelRegistry())) {
            String id = f.seed(Instant.parse("2026-02-02T00:00:00Z"), "PGDMP-exp", null);
            McpSyncClient client = connect(server);
            Map<String, Object> c = confirmation(
                    client.callTool(new McpSchema.CallToolRequest("delete_backup", Map.of("backup_id", id))));
            Thread.sleep(2100);
            McpSchema.CallToolResult late = client.callTool(new McpSchema.CallToolRequest(
                    "delete_backup", Map.of("backup_id", id, "confirm_token", c.get("token"))));
            assertThat(code(late)).isEqualTo("TOKEN_REJECTED");
            assertThat(late.content().toString()).contains("expired");
            client.closeGracefully();
        }
    }
}
