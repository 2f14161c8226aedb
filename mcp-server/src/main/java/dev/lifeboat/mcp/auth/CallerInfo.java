package dev.lifeboat.mcp.auth;

import io.modelcontextprotocol.common.McpTransportContext;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Who sent a request and how, carried from a transport to the tool handlers in the SDK's
 * per-request {@link McpTransportContext}.
 *
 * @param transport "stdio", "http" or "sse" (goes to the audit log)
 * @param subject the token's subject, or the local user for stdio
 * @param scopes what the caller may do
 * @param sessionKey identifies the connection, for matching cancellations
 * @param requestId the JSON-RPC id of the request being handled, or null
 */
public record CallerInfo(String transport, String subject, Set<Scope> scopes, String sessionKey, Object requestId) {
    public static final String TRANSPORT = "lifeboat.transport";
    public static final String SUBJECT = "lifeboat.subject";
    public static final String SCOPES = "lifeboat.scopes";
    public static final String SESSION_KEY = "lifeboat.sessionKey";
    public static final String REQUEST_ID = "lifeboat.requestId";

    public CallerInfo {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(scopes);
    }

    public static CallerInfo local(String transport, String sessionKey, Object requestId) {
        String user = System.getProperty("user.name", "local");
        return new CallerInfo(transport, user, EnumSet.allOf(Scope.class), sessionKey, requestId);
    }

    /** The same caller, handling the request with this JSON-RPC id. */
    public CallerInfo forRequest(Object id) {
        return new CallerInfo(transport, subject, scopes, sessionKey, id);
    }

    public McpTransportContext toContext() {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put(TRANSPORT, transport);
        m.put(SUBJECT, subject);
        m.put(SCOPES, scopes);
        m.put(SESSION_KEY, sessionKey);
        if (requestId != null) {
            m.put(REQUEST_ID, requestId);
        }
        return McpTransportContext.create(m);
    }

    /** Reads the caller from a context; a context without one (never set by our transports) holds no scopes. */
    @SuppressWarnings("unchecked")
    public static CallerInfo from(McpTransportContext context) {
        if (context == null || context.get(TRANSPORT) == null) {
            return new CallerInfo("unknown", "unknown", Set.of(), "unknown", null);
        }
        Object scopes = context.get(SCOPES);
        return new CallerInfo(
                (String) context.get(TRANSPORT),
                (String) context.get(SUBJECT),
                scopes instanceof Set<?> s ? (Set<Scope>) s : Set.of(),
                (String) context.get(SESSION_KEY),
                context.get(REQUEST_ID));
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
