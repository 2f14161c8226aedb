package dev.lifeboat.mcp;

import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.mcp.operation.ProgressRelay;
import dev.lifeboat.mcp.tool.ToolContext;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifications a call sends its client, the same under every protocol revision: progress through
 * a {@link ProgressRelay} and log lines, each redacted, and never failing the work when the client
 * has gone away.
 */
final class ClientNotices {
    private static final Logger LOG = LoggerFactory.getLogger(ClientNotices.class);

    /** Sends one progress notification for the request's token. */
    interface ProgressSender {
        void send(double progress, Double total, String message);
    }

    /** Sends one log notification. */
    interface LogSender {
        void send(McpSchema.LoggingLevel level, String message);
    }

    private ClientNotices() {}

    /**
     * Progress strictly increasing, rate-limited and with a heartbeat ({@link ProgressRelay}). Close it
     * when the request is answered.
     */
    static ProgressRelay relay(ProgressSender sender) {
        return new ProgressRelay(r -> {
            try {
                sender.send(
                        r.progress(),
                        r.total(),
                        r.message() == null ? null : Redactor.global().redact(r.message()));
            } catch (RuntimeException e) {
                // a client that went away must not fail the backup
                LOG.debug("progress notification not delivered: {}", e.getMessage());
            }
        });
    }

    static ToolContext.ClientLog log(LogSender sender) {
        return new ToolContext.ClientLog() {
            @Override
            public void info(String message) {
                send(McpSchema.LoggingLevel.INFO, message);
            }

            @Override
            public void warning(String message) {
                send(McpSchema.LoggingLevel.WARNING, message);
            }

            private void send(McpSchema.LoggingLevel level, String message) {
                try {
                    sender.send(level, Redactor.global().redact(message));
                } catch (RuntimeException e) {
                    LOG.debug("log notification not delivered: {}", e.getMessage());
                }
            }
        };
    }
}
