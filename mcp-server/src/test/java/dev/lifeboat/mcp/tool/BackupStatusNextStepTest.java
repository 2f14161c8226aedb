package dev.lifeboat.mcp.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.health.NextStep;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** backup_status spells each next step as the tool call that takes it, with that tool's own arguments. */
class BackupStatusNextStepTest {
    @Test
    void aMissedDrillIsTakenWithDrillBackupNotAVerifyLevel() {
        Map<String, Object> next = BackupStatusTool.next(new NextStep(
                NextStep.Action.VERIFY_RESTORE,
                "app",
                "postgresql",
                "app-20261122T071200Z-3f9a",
                "local",
                "no restore drill passed within drill_every"));
        assertThat(next)
                .containsEntry("action", "verify_restore")
                .containsEntry("tool", "drill_backup")
                .containsEntry("arguments", Map.of("backup_id", "app-20261122T071200Z-3f9a", "store", "local"));
    }
}
