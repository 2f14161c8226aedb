package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpTsClientInteropIT.call;
import static dev.lifeboat.mcp.McpTsClientInteropIT.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.mcp.McpTsClientInteropIT.ChangedSinceBackup;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Confirmation a model cannot give itself, through the official TypeScript SDK client declaring form
 * elicitation (what hosts that can show their user a form do): a restore over a live database, its
 * undo, a delete and a prune ask the person through {@code elicitation/create}; a declined or mistyped
 * answer changes nothing and the model reads why; the typed name makes the server run the plan itself. No
 * answer the model sees (tool results, get_operation) holds a token. Needs node and npm, as {@link
 * McpTsClientInteropIT}.
 */
class McpTsElicitationIT {
    @TempDir
    Path dir;

    @Test
    void thePersonConfirmsInTheClientsFormAndTheModelNeverHoldsAToken() throws Exception {
        TsHarness ts = TsHarness.installed();
        PgCluster pg = PgCluster.shared();
        ChangedSinceBackup backedUp =
                ChangedSinceBackup.of(pg, dir, "tselicit", 30, "DELETE FROM public.numbers WHERE id <= 5");

        Map<String, Object> replace = Map.of("backup_id", backedUp.id(), "mode", "replace");
        List<Map<String, Object>> calls = new ArrayList<>();
        // wait 0: the person is still asked, within the same call (a long call waits for its plan first)
        calls.add(call(
                "declined", "restore_over_existing", Map.of("backup_id", backedUp.id(), "mode", "replace", "wait", 0)));
        calls.add(call("mistyped", "delete_backup", Map.of("backup_id", backedUp.id())));
        calls.add(call("restored", "restore_over_existing", replace));
        calls.add(call("undo_declined", "undo_restore", Map.of("database", "app")));
        calls.add(call("operations", "get_operation", Map.of()));
        // every operation the model can look up, each fetched with its result: a planning step's too
        Map<String, Object> each = new LinkedHashMap<>(call("operation", "get_operation", Map.of()));
        each.put("eachOperationOf", "operations");
        calls.add(each);
        List<Map<String, Object>> answers = List.of(
                Map.of("action", "decline"),
                Map.of("action", "accept", "content", Map.of(PersonConfirmation.FIELD, "yes, delete it")),
                Map.of("action", "accept", "content", Map.of(PersonConfirmation.FIELD, backedUp.db())),
                Map.of("action", "decline"));
        JsonNode out = ts.run(
                dir.resolve("spec-elicit.json"),
                Map.of("server", server(backedUp.live()), "calls", calls, "elicitation", answers));

        Map<String, JsonNode> results = McpTsClientInteropIT.answers(out);
        for (String refused : List.of("declined", "mistyped", "undo_declined")) {
            JsonNode r = results.get(refused);
            assertThat(r.path("isError").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.at("/structuredContent/error/code").asString()).isEqualTo("NOT_CONFIRMED");
            assertThat(r.path("text").asString()).startsWith("NOT_CONFIRMED: ").contains("nothing was changed");
        }
        assertThat(results.get("declined").path("text").asString()).contains("the user declined plan");
        assertThat(results.get("undo_declined").path("text").asString()).contains("the user declined plan");
        assertThat(results.get("mistyped").path("text").asString()).contains("did not match");

        JsonNode restored = results.get("restored");
        assertThat(restored.path("isError").asBoolean()).as(restored.toString()).isFalse();
        assertThat(restored.at("/structuredContent/status").asString()).isEqualTo("restored");
        assertThat(pg.tableFingerprints(backedUp.db()))
                .isEqualTo(backedUp.atBackup())
                .isNotEqualTo(backedUp.changed());

        JsonNode forms = out.path("forms");
        assertThat(forms).hasSize(4);
        assertThat(forms.get(0).path("message").asString())
                .contains("not the assistant")
                .contains("type the name of the database it replaces ('" + backedUp.db() + "')");
        assertThat(forms.get(1).path("message").asString()).contains("('" + backedUp.id() + "')");
        assertThat(forms.get(2).at("/requestedSchema/required/0").asString()).isEqualTo(PersonConfirmation.FIELD);

        // what the model saw: every answer, and the operations it could look up, without a token
        String seen = out.path("results").toString();
        assertThat(seen)
                .doesNotContain("lbc1.")
                .doesNotContain("\"confirmation\"")
                .doesNotContain("confirm_token");
        int operations =
                results.get("operations").at("/structuredContent/operations").size();
        assertThat(operations)
                .as("the planning steps of both restores and the restore: " + results.get("operations"))
                .isGreaterThanOrEqualTo(3);
        for (int i = 0; i < operations; i++) {
            JsonNode op = results.get("operation-" + i);
            assertThat(op.at("/structuredContent/operation/state").asString())
                    .as(op.toString())
                    .isEqualTo("succeeded");
        }
        assertThat(out.toString()).doesNotContain(pg.password());

        // the undo the person declined changed nothing (the restore stands); now they type the name
        JsonNode undo = ts.run(
                dir.resolve("spec-undo.json"),
                Map.of(
                        "server",
                        server(backedUp.live()),
                        "calls",
                        List.of(call("undone", "undo_restore", Map.of("database", "app"))),
                        "elicitation",
                        List.of(Map.of("action", "accept", "typeWhatItAsks", PersonConfirmation.FIELD))));
        JsonNode undone = McpTsClientInteropIT.successes(undo).get("undone");
        assertThat(undone.at("/structuredContent/status").asString())
                .as(undone.toString())
                .isEqualTo("undone");
        assertThat(undo.path("forms").get(0).path("message").asString()).contains("('" + backedUp.db() + "')");
        assertThat(pg.tableFingerprints(backedUp.db())).isEqualTo(backedUp.changed());
        assertThat(undo.path("results").toString()).doesNotContain("lbc1.").doesNotContain("confirm_token");
    }

    /**
     * The same over Streamable HTTP: the form travels on the call's own SSE stream; a delete, confirmed;
     * a prune, declined (nothing removed), then confirmed by the plan id the form asks for.
     */
    @Test
    void overStreamableHttpThePersonTypesTheBackupIdAndTheServerDeletesIt() throws Exception {
        TsHarness ts = TsHarness.installed();
        try (Fixture f = new Fixture(dir, c -> c.database("app", db -> db.retention("keep_last", 1)));
                JettyMcpHttpServer http = HttpSecurityTest.startOnLoopback(f.service)) {
            String id = f.seed(Instant.parse("2026-05-01T00:00:00Z"), "PGDMP-http", "over http");
            String older = f.seed(Instant.parse("2026-05-01T12:00:00Z"), "PGDMP-older", "pruned");
            String newer = f.seed(Instant.parse("2026-05-02T00:00:00Z"), "PGDMP-newer", "newer");
            Map<String, Object> server = McpTsClientInteropIT.server(http);
            List<Map<String, Object>> calls = List.of(
                    call("deleted", "delete_backup", Map.of("backup_id", id)),
                    call("prune_declined", "prune_backups", Map.of("database", "app")),
                    call("pruned", "prune_backups", Map.of("database", "app")));
            List<Map<String, Object>> answers = List.of(
                    Map.of("action", "accept", "content", Map.of(PersonConfirmation.FIELD, id)),
                    Map.of("action", "decline"),
                    Map.of("action", "accept", "typeWhatItAsks", PersonConfirmation.FIELD));
            JsonNode out = ts.run(
                    dir.resolve("spec-elicit-http.json"),
                    Map.of("server", server, "calls", calls, "elicitation", answers));

            Map<String, JsonNode> results = McpTsClientInteropIT.answers(out);
            JsonNode deleted = results.get("deleted");
            assertThat(deleted.at("/structuredContent/status").asString())
                    .as(deleted.toString())
                    .isEqualTo("deleted");
            JsonNode declined = results.get("prune_declined");
            assertThat(declined.has("mcpError")).as(declined.toString()).isFalse();
            assertThat(declined.at("/structuredContent/error/code").asString()).isEqualTo("NOT_CONFIRMED");
            assertThat(declined.path("text").asString()).contains("the user declined plan");
            JsonNode pruned = results.get("pruned");
            assertThat(pruned.at("/structuredContent/status").asString())
                    .as(pruned.toString())
                    .isEqualTo("pruned");
            assertThat(out.path("forms")).hasSize(3);
            assertThat(out.path("forms").get(2).path("message").asString()).contains("type the plan id");
            assertThatThrownBy(() -> f.service.get(older, null)).hasMessageContaining(older);
            assertThat(f.service.get(newer, null).manifest().id()).isEqualTo(newer);
            assertThat(out.path("forms").get(0).path("message").asString()).contains("('" + id + "')");
            assertThat(out.path("results").toString()).doesNotContain("lbc1.").doesNotContain("confirm_token");
            assertThatThrownBy(() -> f.service.get(id, null)).hasMessageContaining(id);
        }
    }
}
