package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.Tools;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hosts approve per tool, by its annotations: a tool never mixes modes that destroy with modes that do
 * not, and what its hints say is what it does. The server's instructions name every destructive tool,
 * and each destructive tool's description says both ways its plan is confirmed.
 */
class ToolAnnotationsTest {
    private static final Map<String, LifeboatTool> TOOLS = new LinkedHashMap<>();

    static {
        Tools.all(null).forEach(t -> TOOLS.put(t.definition().name(), t));
    }

    private static McpSchema.ToolAnnotations hints(String tool) {
        return TOOLS.get(tool).definition().annotations();
    }

    @Test
    void verifyBackupOnlyReadsAndOffersNoRestoreLevel() {
        assertThat(hints("verify_backup").readOnlyHint()).isTrue();
        assertThat(hints("verify_backup").destructiveHint()).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, Object> level = (Map<String, Object>) ((Map<String, Object>)
                        TOOLS.get("verify_backup").definition().inputSchema().get("properties"))
                .get("level");
        assertThat(level).containsEntry("enum", List.of("checksum", "archive"));
        assertThat(TOOLS.get("verify_backup").scope(Map.of("level", "restore"))).isEqualTo(Scope.READ);
    }

    @Test
    void aDrillNeitherOnlyReadsNorDestroysAndNeedsTheRestoreScope() {
        assertThat(hints("drill_backup").readOnlyHint()).isFalse();
        assertThat(hints("drill_backup").destructiveHint()).isFalse();
        assertThat(TOOLS.get("drill_backup").scope()).isEqualTo(Scope.RESTORE);
        assertThat(TOOLS.get("drill_backup").definition().outputSchema().toString())
                .contains("drill");
        assertThat(TOOLS.get("drill_backup")).isInstanceOf(dev.lifeboat.mcp.tool.LongRunningTool.class);
        assertThat(properties("drill_backup")).containsKeys("backup_id", "store", "tables", "wait");
    }

    @Test
    void restoreBackupDestroysNothingAndTakesNoTokenWhileRestoreOverExistingIsDestructive() {
        assertThat(hints("restore_backup").readOnlyHint()).isFalse();
        assertThat(hints("restore_backup").destructiveHint()).isFalse();
        assertThat(properties("restore_backup")).doesNotContainKeys("confirm_token", "mode", "safety_backup");
        assertThat(hints("restore_over_existing").readOnlyHint()).isFalse();
        assertThat(hints("restore_over_existing").destructiveHint()).isTrue();
        assertThat(properties("restore_over_existing"))
                .containsKeys("confirm_token", "mode", "safety_backup", "owners", "jobs", "tables", "target_dir");
        assertThat(TOOLS.get("restore_backup").scope()).isEqualTo(Scope.RESTORE);
        assertThat(TOOLS.get("restore_over_existing").scope()).isEqualTo(Scope.RESTORE);
    }

    @Test
    void theInstructionsNameEveryDestructiveToolAndEachSaysBothWaysItsPlanIsConfirmed() {
        List<String> destructive = TOOLS.values().stream()
                .filter(t -> Boolean.TRUE.equals(t.definition().annotations().destructiveHint()))
                .map(t -> t.definition().name())
                .toList();
        assertThat(destructive)
                .containsExactlyInAnyOrder("restore_over_existing", "undo_restore", "delete_backup", "prune_backups")
                .containsExactlyInAnyOrderElementsOf(LifeboatMcpServer.DESTRUCTIVE);
        for (String tool : destructive) {
            assertThat(LifeboatMcpServer.INSTRUCTIONS).contains(tool);
            assertThat(TOOLS.get(tool).definition().description())
                    .as(tool)
                    .contains("form elicitation")
                    .contains("'confirmation_required'")
                    .contains("confirm_token");
            assertThat(properties(tool)).as(tool).containsKey("confirm_token");
        }
        for (LifeboatTool t : TOOLS.values()) {
            if (!destructive.contains(t.definition().name())) {
                assertThat(properties(t.definition().name()))
                        .as(t.definition().name() + ": no token for a tool that destroys nothing")
                        .doesNotContainKey("confirm_token");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(String tool) {
        return (Map<String, Object>) TOOLS.get(tool).definition().inputSchema().get("properties");
    }
}
