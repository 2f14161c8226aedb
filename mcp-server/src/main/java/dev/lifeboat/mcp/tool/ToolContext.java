package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.base.OperationContext;

/**
 * What a tool call gets besides its arguments.
 *
 * @param operation passed to the service: transport and subject for the audit log, progress, cancel
 * @param log sends a log notification to the client (filtered by the level the client set)
 */
public record ToolContext(OperationContext operation, ClientLog log) {

    /** Log notifications to the client; implementations redact and never throw. */
    public interface ClientLog {
        ClientLog NONE = new ClientLog() {
            @Override
            public void info(String message) {}

            @Override
            public void warning(String message) {}
        };

        void info(String message);

        void warning(String message);
    }
}
