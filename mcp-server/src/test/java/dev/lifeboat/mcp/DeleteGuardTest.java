package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpResults.confirmation;
import static dev.lifeboat.mcp.McpResults.errorCode;
import static dev.lifeboat.mcp.McpResults.structured;
import static dev.lifeboat.mcp.McpResults.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.catalog.Catalog;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guard rails in delete plans, as a client sees them: each backup named with its label, and the last
 * backup of a source deleted only with an explicit extra confirmation besides the token.
 */
class DeleteGuardTest {
    @TempDir
    Path dir;

    @Test
    void theLastBackupOfASourceNeedsAllowLastBesidesTheToken() throws Exception {
        try (Fixture f = new Fixture(dir);
                McpClients mcp = f.httpClient()) {
            String id = f.seed(Instant.parse("2026-03-01T00:00:00Z"), "PGDMP-last", "before migration 42");
            McpSchema.CallToolResult plan = mcp.call("http", "delete_backup", Map.of("backup_id", id));
            Map<String, Object> shown = McpResults.map(structured(plan).get("plan"));
            assertThat(shown).containsEntry("label", "before migration 42");
            assertThat((List<?>) shown.get("guards")).singleElement().asString().contains("last backup of app");
            assertThat(text(plan))
                    .contains("\"before migration 42\"")
                    .contains("CAUTION: it is the last backup of app")
                    .contains("explicit extra confirmation");
            Object token = confirmation(plan).get("token");

            McpSchema.CallToolResult refused = deleteConfirmed(mcp, id, plan);
            assertThat(errorCode(refused)).isEqualTo("CONFIRMATION_REQUIRED");
            assertThat(text(refused)).contains("was not deleted").contains("allow_last: true");
            assertThat(f.service.get(id, null)).isNotNull();

            // the refusal did not spend the token: the same token with the extra confirmation deletes it
            McpSchema.CallToolResult done = mcp.call(
                    "http", "delete_backup", Map.of("backup_id", id, "confirm_token", token, "allow_last", true));
            assertThat(structured(done)).containsEntry("status", "deleted");
        }
    }

    @Test
    void aBackupWithOthersOfItsSourceBesideItNeedsOnlyTheToken() throws Exception {
        try (Fixture f = new Fixture(dir);
                McpClients mcp = f.httpClient()) {
            String older = f.seed(Instant.parse("2026-03-01T00:00:00Z"), "PGDMP-1", null);
            f.seed(Instant.parse("2026-03-02T00:00:00Z"), "PGDMP-2", null);
            McpSchema.CallToolResult plan = mcp.call("http", "delete_backup", Map.of("backup_id", older));
            assertThat((List<?>) McpResults.map(structured(plan).get("plan")).get("guards"))
                    .isEmpty();
            assertThat(text(plan)).doesNotContain("CAUTION");
            McpSchema.CallToolResult done = deleteConfirmed(mcp, older, plan);
            assertThat(structured(done)).containsEntry("status", "deleted");
        }
    }

    @Test
    void theOnlyBackupWithAPassingDrillNeedsAllowLast() throws Exception {
        try (Fixture f = new Fixture(dir);
                McpClients mcp = f.httpClient()) {
            String drilled = f.seed(Instant.parse("2026-03-01T00:00:00Z"), "PGDMP-d", "drilled");
            f.seed(Instant.parse("2026-03-02T00:00:00Z"), "PGDMP-n", null);
            passingDrill(f, drilled);
            McpSchema.CallToolResult plan = mcp.call("http", "delete_backup", Map.of("backup_id", drilled));
            assertThat(text(plan)).contains("CAUTION: it is the only backup of app with a passing restore drill");
            McpSchema.CallToolResult refused = deleteConfirmed(mcp, drilled, plan);
            assertThat(errorCode(refused)).isEqualTo("CONFIRMATION_REQUIRED");
            assertThat(f.service.get(drilled, null)).isNotNull();
        }
    }

    @Test
    void aPruneNeverRemovesTheLastBackupOfASourceAndNamesWhatItRemoves() throws Exception {
        // every retention policy keeps the newest backup of each source in each store, and the newest
        // with a passing drill: a prune needs no extra confirmation, and its plan names each removal
        try (Fixture f = new Fixture(dir, c -> c.database("app", db -> db.retention("keep_within", "1d")));
                McpClients mcp = f.httpClient()) {
            String a = f.seed(Instant.parse("2026-03-01T00:00:00Z"), "PGDMP-a", "first");
            String b = f.seed(Instant.parse("2026-03-05T00:00:00Z"), "PGDMP-b", null);
            McpSchema.CallToolResult plan = mcp.call("http", "prune_backups", Map.of("database", "app"));
            assertThat(text(plan))
                    .contains("keeps 1, removes 1:\n- " + a + " 7 B \"first\"")
                    .doesNotContain(b);
        }
    }

    /** delete_backup of {@code id} with the token its {@code plan} answered with. */
    private static McpSchema.CallToolResult deleteConfirmed(McpClients mcp, String id, McpSchema.CallToolResult plan) {
        return mcp.call(
                "http",
                "delete_backup",
                Map.of("backup_id", id, "confirm_token", confirmation(plan).get("token")));
    }

    /** A passing drill record beside the backup, as a restore drill leaves it. */
    private static void passingDrill(Fixture f, String backupId) throws Exception {
        try (BackupStore store = BackupStores.open(f.config.store("local"), f.env())) {
            Catalog catalog = new Catalog(store);
            Instant at = Instant.parse("2026-03-03T00:00:00Z");
            catalog.putDrill(
                    BackupId.parse(backupId),
                    new DrillRecord(
                            1, backupId, "app", "local", "x", 7, at, at, at, 1, "tester", "stdio", "test", null, null,
                            "scratch", true, "exact", List.of(), List.of(), "PASS", null, List.of(), null));
        }
    }
}
