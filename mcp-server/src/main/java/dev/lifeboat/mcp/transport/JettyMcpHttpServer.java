package dev.lifeboat.mcp.transport;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import dev.lifeboat.mcp.settings.HttpLimits;
import dev.lifeboat.mcp.settings.McpSettings;
import dev.lifeboat.mcp.tool.LifeboatTool;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.modern.server.McpRequestManager;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP transports on embedded Jetty: Streamable HTTP at {@code /mcp} and the legacy HTTP+SSE
 * transport at {@code /sse} + {@code /message}, behind {@link RequestLimitHandler} (methods, body size
 * and time) and {@link HttpSecurityFilter} (Host, Origin, tokens, sessions, scopes).
 */
public final class JettyMcpHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JettyMcpHttpServer.class);

    /** The SDK pings every open stream this often; a dead client is noticed at the next ping. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    /**
     * A connection with nothing to read or write for this long is closed: a client that sends headers
     * and then nothing. Longer than {@link #KEEP_ALIVE}, so an open stream that is only pinged stays.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(45);

    private final Server jetty;
    private final ServerConnector connector;
    private final McpSyncServer streamable;
    private final McpSyncServer sse;
    private final SessionRegistry sessions;

    private JettyMcpHttpServer(
            Server jetty,
            ServerConnector connector,
            McpSyncServer streamable,
            McpSyncServer sse,
            SessionRegistry sessions) {
        this.jetty = jetty;
        this.connector = connector;
        this.streamable = streamable;
        this.sse = sse;
        this.sessions = sessions;
    }

    /**
     * Starts listening. Without tokens it refuses to start unless the operator opted out with {@code
     * mcp.allow_unauthenticated_local} on a loopback bind, and then warns that every local user can
     * call every tool.
     *
     * @param tools the tools served, whose scopes the HTTP filters check
     * @param tasks the tasks utility's answers, offered on Streamable HTTP sessions (legacy SSE sessions
     *     speak 2024-11-05, which has no tasks); null when no tool can run as a task
     * @param server builds the SDK server on each transport's builder (Lifeboat's tools and capabilities);
     *     passed in so that this package does not depend on the one that assembles the server
     * @param stateless the server of the stateless 2026-07-28 revision (the SDK's {@code modern} one),
     *     served at {@code /mcp} beside the session server ({@link RevisionRouter}); null: only the
     *     session revisions
     * @param metrics what {@code GET /metrics} answers, or null for no such endpoint
     * @throws LifeboatException CONFIG_INVALID without tokens and without the opt-out, or with the
     *     opt-out on an address that is not loopback
     */
    public static JettyMcpHttpServer start(
            McpSettings settings,
            List<LifeboatTool> tools,
            CancelRegistry cancels,
            TaskRequests tasks,
            Function<McpServer.SyncSpecification<?>, McpSyncServer> server,
            McpRequestManager stateless,
            MetricsServlet.Source metrics)
            throws Exception {
        TokenAuthenticator tokens = new TokenAuthenticator(settings.tokens());
        if (!tokens.enabled()) {
            refuseWithoutTokens(settings);
        }
        HttpLimits limits = settings.limits();
        Server jetty = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        jetty.addConnector(connector);

        SessionRegistry sessions = new SessionRegistry(
                limits.maxSessions(), limits.maxSessionsPerToken(), limits.sessionIdleTimeout(), System::nanoTime);
        var mapper = McpJsonDefaults.getMapper();
        HttpServletStreamableServerTransportProvider streamableTransport =
                HttpServletStreamableServerTransportProvider.builder()
                        .jsonMapper(TaskJson.mapper(tasks == null ? java.util.Set.of() : tasks.tools()))
                        .mcpEndpoint("/mcp")
                        .keepAliveInterval(KEEP_ALIVE)
                        .maxRequestSize(limits.maxRequestBytes())
                        .sessionSweepInterval(limits.sessionIdleTimeout())
                        .contextExtractor(r -> HttpSecurityFilter.caller(r).toContext())
                        .build();
        @SuppressWarnings("deprecation")
        HttpServletSseServerTransportProvider sseTransport = HttpServletSseServerTransportProvider.builder()
                .jsonMapper(mapper)
                .sseEndpoint("/sse")
                .messageEndpoint("/message")
                .keepAliveInterval(KEEP_ALIVE)
                .maxRequestSize(limits.maxRequestBytes())
                .contextExtractor(r -> HttpSecurityFilter.caller(r).toContext())
                .build();
        McpSyncServer streamableServer =
                server.apply(McpServer.sync(new TrackedStreamableProvider(streamableTransport, sessions)));
        McpSyncServer sseServer = server.apply(McpServer.sync(sseTransport));

        Map<String, LifeboatTool> byName = new LinkedHashMap<>();
        for (LifeboatTool t : tools) {
            byName.put(t.definition().name(), t);
        }
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        BearerAuthentication bearer = new BearerAuthentication(tokens);
        HttpSecurityFilter filter = new HttpSecurityFilter(
                settings,
                connector::getLocalPort,
                bearer,
                byName,
                cancels,
                sessions,
                tasks,
                streamableTransport::notifyClient);
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        jakarta.servlet.http.HttpServlet mcp = streamableTransport;
        if (stateless != null) {
            mcp = new RevisionRouter(
                    streamableTransport,
                    HttpServletMcpTransport.builder(stateless)
                            .jsonMapper(mapper)
                            .endpoint("/mcp")
                            .keepAliveInterval(KEEP_ALIVE)
                            .maxRequestSize(limits.maxRequestBytes())
                            .contextExtractor(r -> HttpSecurityFilter.caller(r).toContext())
                            .build());
        }
        ServletHolder streamableHolder = new ServletHolder("mcp", mcp);
        streamableHolder.setAsyncSupported(true);
        context.addServlet(streamableHolder, "/mcp");
        ServletHolder sseHolder = new ServletHolder("sse", sseTransport);
        sseHolder.setAsyncSupported(true);
        context.addServlet(sseHolder, "/sse");
        context.addServlet(sseHolder, "/message");
        if (metrics != null) {
            context.addServlet(new ServletHolder("metrics", new MetricsServlet(metrics)), "/metrics");
        }
        ErrorHandler quiet = new ErrorHandler();
        quiet.setShowStacks(false);
        quiet.setShowMessageInTitle(false);
        jetty.setErrorHandler(quiet);
        jetty.setHandler(new RequestLimitHandler(
                context, bearer::accepts, limits.maxRequestBytes(), limits.requestBodyTimeout()));
        jetty.setStopAtShutdown(false);
        jetty.start();
        sessions.start();
        return new JettyMcpHttpServer(jetty, connector, streamableServer, sseServer, sessions);
    }

    private static void refuseWithoutTokens(McpSettings settings) {
        if (!settings.allowUnauthenticatedLocal()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "refusing to serve HTTP without bearer tokens: every local user"
                            + (isLoopback(settings.bind()) ? "" : ", and anyone who can reach " + settings.bind() + ",")
                            + " could back up, restore over databases and delete backups",
                    "make a token with 'lifeboat-mcp hash-token' and put its sha256 under mcp.tokens in"
                            + " lifeboat.yaml; to let every local user call every tool without one, set"
                            + " mcp.allow_unauthenticated_local: true (loopback binds only)");
        }
        if (!isLoopback(settings.bind())) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "refusing to listen on " + settings.bind() + " without bearer tokens:"
                            + " mcp.allow_unauthenticated_local applies to loopback binds only; anyone on the"
                            + " network could back up, restore or delete",
                    "add tokens under mcp.tokens in lifeboat.yaml ('lifeboat-mcp hash-token' makes one), or"
                            + " bind to 127.0.0.1");
        }
        LOG.warn("mcp.allow_unauthenticated_local is true and no tokens are configured: ANY local user of this"
                + " machine can call EVERY tool over HTTP (create and delete backups, restore over databases)"
                + " without authenticating. Configure mcp.tokens ('lifeboat-mcp hash-token') to require tokens.");
    }

    static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The MCP sessions held now (Streamable HTTP and SSE, with places reserved by initializes in flight). */
    public int sessionCount() {
        return sessions.size();
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() throws Exception {
        sessions.close();
        streamable.closeGracefully();
        sse.closeGracefully();
        jetty.stop();
    }
}
