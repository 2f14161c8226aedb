package dev.lifeboat.mcp.settings;

import dev.lifeboat.mcp.auth.TokenEntry;
import java.util.List;

/**
 * The {@code mcp:} section of {@code lifeboat.yaml}: how the HTTP transport listens and who may call it.
 *
 * @param bind the address to listen on (loopback by default)
 * @param port the TCP port (0 picks a free one)
 * @param allowedOrigins browser origins allowed besides the server's own loopback origins
 * @param allowedHosts Host header values allowed besides the bind address and loopback names
 * @param tokens bearer tokens, stored as SHA-256 hashes
 * @param allowUnauthenticatedLocal {@code mcp.allow_unauthenticated_local}: serve HTTP without tokens,
 *     every caller holding every scope; loopback binds only, and only when no tokens are configured
 * @param limits sessions, request bodies and their timeouts
 * @param offer which tools are offered at all ({@code mcp.read_only}, {@code mcp.tools}); the same for
 *     stdio and HTTP
 */
public record McpSettings(
        String bind,
        int port,
        List<String> allowedOrigins,
        List<String> allowedHosts,
        List<TokenEntry> tokens,
        boolean allowUnauthenticatedLocal,
        HttpLimits limits,
        ToolOffer offer) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8765;

    public McpSettings {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        tokens = List.copyOf(tokens);
        limits = limits == null ? HttpLimits.defaults() : limits;
        offer = offer == null ? ToolOffer.ALL : offer;
    }

    /** Settings with the default limits, tokens required and every tool offered. */
    public McpSettings(
            String bind, int port, List<String> allowedOrigins, List<String> allowedHosts, List<TokenEntry> tokens) {
        this(bind, port, allowedOrigins, allowedHosts, tokens, false, null, null);
    }

    public static McpSettings defaults() {
        return new McpSettings(DEFAULT_BIND, DEFAULT_PORT, List.of(), List.of(), List.of());
    }

    public McpSettings withListener(String newBind, Integer newPort) {
        return new McpSettings(
                newBind != null ? newBind : bind,
                newPort != null ? newPort : port,
                allowedOrigins,
                allowedHosts,
                tokens,
                allowUnauthenticatedLocal,
                limits,
                offer);
    }

    public McpSettings withTokens(List<TokenEntry> newTokens) {
        return new McpSettings(
                bind, port, allowedOrigins, allowedHosts, newTokens, allowUnauthenticatedLocal, limits, offer);
    }

    /** The same settings with {@code mcp.allow_unauthenticated_local} set to {@code allow}. */
    public McpSettings withUnauthenticatedLocal(boolean allow) {
        return new McpSettings(bind, port, allowedOrigins, allowedHosts, tokens, allow, limits, offer);
    }

    public McpSettings withLimits(HttpLimits newLimits) {
        return new McpSettings(
                bind, port, allowedOrigins, allowedHosts, tokens, allowUnauthenticatedLocal, newLimits, offer);
    }

    public McpSettings withOffer(ToolOffer newOffer) {
        return new McpSettings(
                bind, port, allowedOrigins, allowedHosts, tokens, allowUnauthenticatedLocal, limits, newOffer);
    }
}
