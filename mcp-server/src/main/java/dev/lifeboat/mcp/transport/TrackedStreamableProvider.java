package dev.lifeboat.mcp.transport;

import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The SDK's Streamable HTTP transport as the SDK server sees it, with one addition: each session the
 * server's session factory makes is shown to the {@link SessionRegistry}, which can then ask whether
 * it has an open stream and close it when it has been idle too long. The SDK keeps its session map to
 * itself; its factory is the one place a session can be seen as it is made. Everything else is the
 * SDK's transport, which stays the servlet Jetty serves.
 */
final class TrackedStreamableProvider implements McpStreamableServerTransportProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TrackedStreamableProvider.class);

    private final HttpServletStreamableServerTransportProvider delegate;
    private final SessionRegistry sessions;

    TrackedStreamableProvider(HttpServletStreamableServerTransportProvider delegate, SessionRegistry sessions) {
        this.delegate = delegate;
        this.sessions = sessions;
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory factory) {
        delegate.setSessionFactory(initialize -> {
            McpStreamableServerSession.McpStreamableServerSessionInit init = factory.startSession(initialize);
            McpStreamableServerSession session = init.session();
            sessions.created(
                    session.getId(),
                    session::hasOpenStream,
                    () -> session.closeGracefully()
                            .subscribe(null, e -> LOG.debug("closing an idle session failed: {}", e.getMessage())));
            return init;
        });
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return delegate.notifyClients(method, params);
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        return delegate.notifyClient(sessionId, method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }
}
