package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.mcp.auth.Scope;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a tool call gets besides its arguments.
 *
 * @param operation passed to the service: transport and subject for the audit log, progress, cancel;
 *     its subject also owns the operations the call starts or looks up
 * @param log sends a log notification to the client (filtered by the level the client set)
 * @param scopes what the caller may do: the operation tools check a cancel against the scope of the
 *     call that started the operation, which only the operation knows
 */
public record ToolContext(OperationContext operation, ClientLog log, Set<Scope> scopes) {
    public ToolContext {
        scopes = Set.copyOf(scopes);
    }

    /** A local caller (stdio, tests): it holds every scope, as the user who started the server. */
    public ToolContext(OperationContext operation, ClientLog log) {
        this(operation, log, EnumSet.allOf(Scope.class));
    }

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
