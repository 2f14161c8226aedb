package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpResults.errorCode;
import static dev.lifeboat.mcp.McpResults.list;
import static dev.lifeboat.mcp.McpResults.map;
import static dev.lifeboat.mcp.McpResults.structured;
import static dev.lifeboat.mcp.McpResults.text;
import static dev.lifeboat.mcp.McpResults.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.SampleTree;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Directory backups and sets through the SDK's client over stdio (a spawned server) and Streamable
 * HTTP: create, restore into a new directory, the confirmation flow for a non-empty one, a set whose
 * database member fails (its server is unreachable) while the directory is committed, and the set
 * listed as one run. The fixture's database password is the canary for every answer and log line.
 */
class McpDirectoryToolsIT {
    static Path dir;
    static Path uploads;
    static Fixture fixture;
    static McpClients mcp;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lifeboat-mcp-dirs");
        uploads = SampleTree.create(dir.resolve("uploads"), 50_000);
        fixture = new Fixture(
                dir, c -> c.directory("uploads", uploads, d -> d.store("local")).set("cvescan", "app", "uploads"));
        mcp = McpClients.start(
                fixture.service, fixture.configFile, fixture.env(), McpSchema.LoggingLevel.DEBUG, "stdio", "http");
    }

    @AfterAll
    static void stop() throws Exception {
        mcp.close();
        mcp.assertNeverSaw(Fixture.CANARY, fixture.config.stateDir());
        fixture.close();
        dev.lifeboat.core.source.files.StagedTree.delete(dir);
    }

    static McpSchema.CallToolResult call(String transport, String tool, Map<String, Object> args) {
        return mcp.call(transport, tool, args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void aModelBacksUpADirectoryAndRestoresItWithConfirmationForANonEmptyTarget(String transport) throws Exception {
        Map<String, Object> inventory = structured(call(transport, "list_databases", Map.of()));
        assertThat(list(inventory.get("directories"))).anyMatch(d -> "uploads".equals(map(d).get("name")));
        // each source's effective compression, and a database's restore jobs
        assertThat(list(inventory.get("directories")))
                .allMatch(d -> map(d).get("compression") != null && map(d).get("compression_source") != null);
        assertThat(list(inventory.get("databases")))
                .allMatch(d -> map(d).get("compression") != null && map(d).get("restore_jobs") != null);
        assertThat(list(inventory.get("sets"))).anyMatch(d -> "cvescan".equals(map(d).get("name")));

        McpSchema.CallToolResult created = call(transport, "create_backup", Map.of("database", "uploads"));
        assertThat(created.isError()).as(String.valueOf(created)).isFalse();
        Map<String, Object> backup = map(structured(created).get("backup"));
        assertThat(backup).containsEntry("kind", "directory").containsEntry("format", "tar");
        String id = (String) backup.get("backup_id");

        McpSchema.CallToolResult verified =
                call(transport, "verify_backup", Map.of("backup_id", id, "level", "archive"));
        assertThat(structured(verified)).as(String.valueOf(verified)).containsEntry("passed", true);

        Path fresh = dir.resolve("restored-" + transport);
        McpSchema.CallToolResult restored =
                call(transport, "restore_backup", Map.of("backup_id", id, "target_dir", fresh.toString()));
        assertThat(structured(restored)).as(String.valueOf(restored)).containsEntry("status", "restored");
        assertThat(SampleTree.describe(fresh)).isEqualTo(SampleTree.describe(uploads));

        Path live = Files.createDirectories(dir.resolve("live-" + transport));
        Files.writeString(live.resolve("newer.txt"), "newer");
        // restore_backup never replaces a directory's contents: it names the tool that does
        McpSchema.CallToolResult refused =
                call(transport, "restore_backup", Map.of("backup_id", id, "target_dir", live.toString()));
        assertThat(errorCode(refused)).isEqualTo("ALREADY_EXISTS");
        assertThat(text(refused)).contains("restore_over_existing").contains("target_dir");
        assertThat(live.resolve("newer.txt")).exists();
        McpSchema.CallToolResult asked =
                call(transport, "restore_over_existing", Map.of("backup_id", id, "target_dir", live.toString()));
        Map<String, Object> plan = structured(asked);
        assertThat(plan).containsEntry("status", "confirmation_required");
        assertThat((String) map(plan.get("plan")).get("summary")).contains("REPLACED", live.toString());
        assertThat(live.resolve("newer.txt")).exists();
        String token = token(asked);

        McpSchema.CallToolResult elsewhere = call(
                transport,
                "restore_over_existing",
                Map.of("backup_id", id, "target_dir", fresh.toString(), "confirm_token", token));
        assertThat(elsewhere.isError()).isTrue();
        assertThat(errorCode(elsewhere)).isEqualTo("TOKEN_REJECTED");

        // the refused call above was bound elsewhere; the token itself is still unused for 'live'
        McpSchema.CallToolResult done = call(
                transport,
                "restore_over_existing",
                Map.of("backup_id", id, "target_dir", live.toString(), "confirm_token", token));
        assertThat(structured(done)).as(String.valueOf(done)).containsEntry("status", "restored");
        assertThat(live.resolve("newer.txt")).doesNotExist();
        assertThat(SampleTree.describe(live)).isEqualTo(SampleTree.describe(uploads));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void aSetRunCommitsItsDirectoryWhenItsDatabaseFailsAndIsListedAsOneRun(String transport) {
        McpSchema.CallToolResult created = call(transport, "create_backup", Map.of("set", "cvescan"));
        Map<String, Object> out = structured(created);
        assertThat(out).as(String.valueOf(created)).containsEntry("status", "incomplete");
        Map<String, Object> run = map(out.get("set_run"));
        List<Object> members = list(run.get("members"));
        assertThat(map(members.get(0))).containsEntry("name", "app").containsEntry("status", "failed");
        assertThat(map(map(members.get(0)).get("error"))).containsEntry("code", "DATABASE_UNREACHABLE");
        assertThat(map(members.get(1))).containsEntry("name", "uploads").containsEntry("status", "created");
        assertThat(created.content().toString()).contains("INCOMPLETE", "FAILED");

        McpSchema.CallToolResult listed = call(transport, "list_backups", Map.of("set", "cvescan"));
        List<Object> runs = list(structured(listed).get("sets"));
        Map<String, Object> mine = runs.stream()
                .map(McpResults::map)
                .filter(r -> run.get("run").equals(r.get("run")))
                .findFirst()
                .orElseThrow();
        assertThat(list(mine.get("missing"))).containsExactly("app");
        assertThat(list(mine.get("backups"))).hasSize(1);
        assertThat(map(list(mine.get("backups")).get(0))).containsEntry("database", "uploads");
    }
}
