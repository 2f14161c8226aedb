package dev.lifeboat.mcp;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.base.Timeline;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.metrics.HealthMetrics;
import dev.lifeboat.mcp.operation.Operations;
import dev.lifeboat.mcp.settings.McpSettings;
import dev.lifeboat.mcp.settings.McpSettingsLoader;
import dev.lifeboat.mcp.settings.ToolOffer;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import dev.lifeboat.mcp.transport.MetricsServlet;
import dev.lifeboat.mcp.transport.StdioTransport;
import dev.lifeboat.mcp.transport.TaskJson;
import dev.lifeboat.mcp.transport.TaskRequests;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the server from options; used by {@code lifeboat-mcp} and {@code lifeboat mcp serve}. */
public final class McpServerRunner {
    private static final Logger LOG = LoggerFactory.getLogger(McpServerRunner.class);

    /**
     * @param transport "stdio" or "http"
     * @param config the config file, or null to search as the CLI does
     * @param bind overrides mcp.bind, or null
     * @param port overrides mcp.port, or null
     * @param readOnly {@code --read-only}: offer only the read-only tools, whatever the file says
     * @param schedules {@code --schedules}: run the configured schedules in the server (HTTP only)
     */
    public record Options(
            String transport, Path config, String bind, Integer port, boolean readOnly, boolean schedules) {
        public Options(String transport, Path config, String bind, Integer port) {
            this(transport, config, bind, port, false, false);
        }

        public Options(String transport, Path config, String bind, Integer port, boolean readOnly) {
            this(transport, config, bind, port, readOnly, false);
        }
    }

    private McpServerRunner() {}

    /** Runs until stdin closes (stdio) or the process is stopped (http). */
    public static void run(Options options, Map<String, String> env) throws Exception {
        LifeboatConfig config = new ConfigLoader(env).load(options.config());
        Timeline.mark("configuration loaded");
        McpSettings settings = McpSettingsLoader.load(config.source()).withListener(options.bind(), options.port());
        Timeline.mark("MCP settings loaded");
        if (options.readOnly()) {
            settings = settings.withOffer(settings.offer().readOnlyToo());
        }
        McpSettingsLoader.notes(settings).forEach(n -> LOG.warn("{}", n));
        String transport = options.transport() == null ? "stdio" : options.transport();
        if (options.schedules() && !transport.equals("http")) {
            throw new dev.lifeboat.core.base.LifeboatException(
                    dev.lifeboat.core.base.ErrorCode.INVALID_ARGUMENT,
                    "--schedules needs --transport http: a stdio server lives only as long as its client's session",
                    "serve over HTTP, or run 'lifeboat schedule run' beside the stdio server");
        }
        if (transport.equals("stdio")) {
            // whatever else prints must not corrupt the JSON-RPC stream: keep the real stdout for replies only
            OutputStream stdout = new FileOutputStream(FileDescriptor.out);
            System.setOut(System.err);
            try (BackupService service = BackupService.open(config, env)) {
                Timeline.mark("service opened");
                List<LifeboatTool> tools = offered(Tools.all(service), settings.offer());
                Timeline.mark("tools built (" + tools.size() + ")");
                InputStream in = System.in;
                if (Timeline.on()) {
                    in = firstRead(in);
                    stdout = firstWrite(stdout);
                }
                serveStdio(tools, settings.offer(), in, stdout, Duration.ofHours(12));
            }
        } else if (transport.equals("http")) {
            try (BackupService service = BackupService.open(config, env);
                    Operations operations = new Operations();
                    JettyMcpHttpServer server = startHttp(
                            settings, offered(Tools.all(service, operations), settings.offer()), new CancelRegistry());
                    ServerSchedules schedules = options.schedules() ? ServerSchedules.start(service) : null) {
                // always, not only with --verbose: with port 0 this line is the only way to learn the port
                System.err.println("lifeboat: listening on http://"
                        + (settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind()) + ":"
                        + server.port() + " (Streamable HTTP at /mcp, SSE at /sse, metrics at /metrics)"
                        + (settings.tokens().isEmpty()
                                ? "; no tokens (mcp.allow_unauthenticated_local): every local user may call every tool"
                                : ""));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        if (schedules != null) {
                            // as 'schedule run' stops: no new run, a running backup cancelled cleanly, then the server
                            schedules.close();
                        }
                        server.close();
                    } catch (Exception e) {
                        LOG.debug("shutdown: {}", e.getMessage());
                    }
                }));
                server.join();
            }
        } else {
            throw new dev.lifeboat.core.base.LifeboatException(
                    dev.lifeboat.core.base.ErrorCode.INVALID_ARGUMENT,
                    "unknown transport '" + transport + "'",
                    "use 'stdio' (default) or 'http'");
        }
    }

    /**
     * Starts the HTTP transports (Streamable HTTP and SSE) on Jetty; the caller closes the server.
     *
     * @throws dev.lifeboat.core.base.LifeboatException CONFIG_INVALID without tokens, unless {@code
     *     mcp.allow_unauthenticated_local} is set and the bind is loopback
     */
    public static JettyMcpHttpServer startHttp(McpSettings settings, List<LifeboatTool> tools, CancelRegistry cancels)
            throws Exception {
        return JettyMcpHttpServer.start(
                settings,
                tools,
                cancels,
                LifeboatMcpServer.tasks(tools, cancels, settings.offer()),
                transport -> LifeboatMcpServer.build(transport, tools, cancels, settings.offer()),
                LifeboatMcpServer.buildStateless(tools, cancels, settings.offer()),
                Tools.status(tools)
                        .<MetricsServlet.Source>map(status -> out -> HealthMetrics.write(status.get(), out))
                        .orElse(null));
    }

    /** The tools {@code offer} lets the server offer, said once on stderr when it is not all of them. */
    private static List<LifeboatTool> offered(List<LifeboatTool> all, ToolOffer offer) {
        List<LifeboatTool> tools = LifeboatMcpServer.offered(all, offer);
        if (tools.size() < all.size()) {
            LOG.info(
                    "offering {} of {} tools{}: {}",
                    tools.size(),
                    all.size(),
                    offer.readOnly() ? " (read-only)" : "",
                    String.join(
                            ", ", tools.stream().map(t -> t.definition().name()).toList()));
        }
        return tools;
    }

    /** {@code in}, saying on the timeline when its first bytes (the first request) arrive. */
    private static InputStream firstRead(InputStream in) {
        return new java.io.FilterInputStream(in) {
            private boolean seen;

            @Override
            public int read() throws java.io.IOException {
                int b = super.read();
                if (b >= 0) {
                    seen();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    seen();
                }
                return n;
            }

            private void seen() {
                if (!seen) {
                    seen = true;
                    Timeline.mark("stdio: first request bytes read");
                }
            }
        };
    }

    /** {@code out}, saying on the timeline when the first reply (to {@code initialize}) is flushed. */
    private static OutputStream firstWrite(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            private boolean written;
            private boolean flushed;

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                out.write(b, off, len);
                written = true;
            }

            @Override
            public void flush() throws java.io.IOException {
                out.flush();
                if (written && !flushed) {
                    flushed = true;
                    Timeline.mark("stdio: first reply flushed");
                }
            }
        };
    }

    /** Serves one stdio session and returns once stdin is closed and owed replies are written. */
    public static void serveStdio(List<LifeboatTool> tools, InputStream in, OutputStream out, Duration drainLimit)
            throws java.io.IOException {
        serveStdio(tools, ToolOffer.ALL, in, out, drainLimit);
    }

    /** Serves one stdio session offering what {@code offer} allows of {@code tools}. */
    public static void serveStdio(
            List<LifeboatTool> tools, ToolOffer offer, InputStream in, OutputStream out, Duration drainLimit)
            throws java.io.IOException {
        CancelRegistry cancels = new CancelRegistry();
        TaskRequests tasks = LifeboatMcpServer.tasks(tools, cancels, offer);
        StdioTransport transport = new StdioTransport(
                TaskJson.mapper(tasks == null ? Set.of() : tasks.tools()),
                in,
                out,
                cancels,
                tasks,
                () -> LifeboatMcpServer.buildStateless(tools, cancels, offer));
        McpSyncServer server = LifeboatMcpServer.build(McpServer.sync(transport), tools, cancels, offer);
        Timeline.mark("MCP server built; reading stdin");
        Operations operations = Tools.operations(tools);
        try {
            transport.serve(drainLimit);
            // a client that closed its end has not cancelled the work it started: let it finish
            if (operations != null && operations.running() > 0) {
                LOG.info("stdin closed; waiting for {} running operation(s) to finish", operations.running());
                operations.awaitIdle(drainLimit);
            }
        } finally {
            server.close();
            if (operations != null) {
                operations.close();
            }
        }
    }
}
