package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.BackupService;
import java.util.List;

/** Every tool the server offers, in the order {@code tools/list} shows them. */
public final class Tools {
    private Tools() {}

    public static List<LifeboatTool> all(BackupService service) {
        return List.of(
                new ListDatabasesTool(service),
                new CreateBackupTool(service),
                new ListBackupsTool(service),
                new GetBackupTool(service),
                new VerifyBackupTool(service),
                new RestoreBackupTool(service),
                new UndoRestoreTool(service),
                new DeleteBackupTool(service),
                new PruneBackupsTool(service),
                new CopyBackupTool(service));
    }
}
