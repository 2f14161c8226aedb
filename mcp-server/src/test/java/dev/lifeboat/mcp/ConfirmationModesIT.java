package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpResults.confirmation;
import static dev.lifeboat.mcp.McpResults.errorCode;
import static dev.lifeboat.mcp.McpResults.structured;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator approval and token expiry, as a client sees them. */
class ConfirmationModesIT {
    @TempDir
    Path dir;

    @Test
    void operatorModeNeedsAPersonToApproveBeforeTheTokenWorks() throws Exception {
        try (Fixture f = new Fixture(dir, c -> c.approval("operator"));
                McpClients mcp = f.httpClient()) {
            String id = f.seed(Instant.parse("2026-02-01T00:00:00Z"), "PGDMP-op", null);
            f.seed(Instant.parse("2026-02-01T01:00:00Z"), "PGDMP-op2", null); // not the last backup: no guard
            McpSchema.CallToolResult plan = mcp.call("http", "delete_backup", Map.of("backup_id", id));
            Map<String, Object> c = confirmation(plan);
            assertThat(c).containsEntry("operator_approval_required", true);
            String planId = (String) c.get("plan_id");
            assertThat(structured(plan).get("instruction").toString())
                    .contains("a person to approve plan " + planId + " at a terminal")
                    .doesNotContain("lifeboat");

            Map<String, Object> withToken = Map.of("backup_id", id, "confirm_token", c.get("token"));
            McpSchema.CallToolResult early = mcp.call("http", "delete_backup", withToken);
            assertThat(errorCode(early)).isEqualTo("CONFIRMATION_REQUIRED");
            // the model is told approval is needed, never the command that gives it
            assertThat(early.content().toString())
                    .contains("Hint: a person must approve, at a terminal, plan " + planId)
                    .doesNotContain("lifeboat");

            // what 'lifeboat approve <plan-id>' does in the operator's terminal
            f.service.approve(planId, "operator-alice");
            McpSchema.CallToolResult done = mcp.call("http", "delete_backup", withToken);
            assertThat(done.isError()).as(String.valueOf(done)).isFalse();
            assertThat(structured(done).get("status")).isEqualTo("deleted");
        }
    }

    @Test
    void anExpiredTokenIsRejected() throws Exception {
        try (Fixture f = new Fixture(dir, c -> c.tokenTtl("1s"));
                McpClients mcp = f.httpClient()) {
            String id = f.seed(Instant.parse("2026-02-02T00:00:00Z"), "PGDMP-exp", null);
            Map<String, Object> c = confirmation(mcp.call("http", "delete_backup", Map.of("backup_id", id)));
            Thread.sleep(2100);
            McpSchema.CallToolResult late =
                    mcp.call("http", "delete_backup", Map.of("backup_id", id, "confirm_token", c.get("token")));
            assertThat(errorCode(late)).isEqualTo("TOKEN_REJECTED");
            assertThat(late.content().toString()).contains("expired");
        }
    }
}
