package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.mcp.operation.Operations;
import java.util.List;

/** Every tool the server offers, in the order {@code tools/list} shows them. */
public final class Tools {
    private Tools() {}

    /** The tools with an operations registry of their own (one server, its tests). */
    public static List<LifeboatTool> all(BackupService service) {
        return all(service, new Operations());
    }

    /**
     * The tools; the long ones (backup, verify, drill, restore, copy) run as operations of {@code operations},
     * which get_operation and cancel_operation look up. One registry per server, shared by its
     * transports: an operation started over SSE can be fetched over Streamable HTTP.
     */
    public static List<LifeboatTool> all(BackupService service, Operations operations) {
        return List.of(
                new ListDatabasesTool(service),
                new LongRunningTool(new CreateBackupTool(service), operations),
                new ListBackupsTool(service),
                new GetBackupTool(service),
                new BackupStatusTool(service),
                new LongRunningTool(new VerifyBackupTool(service), operations),
                new LongRunningTool(new DrillBackupTool(service), operations),
                new LongRunningTool(new RestoreBackupTool(service), operations),
                new LongRunningTool(new RestoreOverExistingTool(service), operations),
                new UndoRestoreTool(service),
                new DeleteBackupTool(service),
                new PruneBackupsTool(service),
                new LongRunningTool(new CopyBackupTool(service), operations),
                new GetOperationTool(operations),
                new CancelOperationTool(operations));
    }

    /**
     * The health report of the service behind {@code tools} (for {@code GET /metrics}), when they
     * include {@code backup_status}.
     */
    public static java.util.Optional<java.util.function.Supplier<dev.lifeboat.core.health.HealthReport>> status(
            List<LifeboatTool> tools) {
        return tools.stream()
                .filter(BackupStatusTool.class::isInstance)
                .map(t -> (java.util.function.Supplier<dev.lifeboat.core.health.HealthReport>)
                        ((BackupStatusTool) t)::report)
                .findFirst();
    }

    /**
     * The pending plan of a plan id, from the service behind {@code tools} (to ask a person to confirm
     * it), or null when none of them holds a service (tests build tools over none).
     */
    public static java.util.function.Function<String, dev.lifeboat.core.confirm.Confirmations.Pending> plans(
            List<LifeboatTool> tools) {
        return tools.stream()
                .filter(ServiceTool.class::isInstance)
                .map(t -> ((ServiceTool) t).service)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .<java.util.function.Function<String, dev.lifeboat.core.confirm.Confirmations.Pending>>map(
                        service -> service::pendingPlan)
                .orElse(null);
    }

    /** The registry the long tools among {@code tools} run in, or null when none is long. */
    public static Operations operations(List<LifeboatTool> tools) {
        return tools.stream()
                .filter(LongRunningTool.class::isInstance)
                .map(t -> ((LongRunningTool) t).operations())
                .findFirst()
                .orElse(null);
    }
}
