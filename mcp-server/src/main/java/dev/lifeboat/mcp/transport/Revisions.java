package dev.lifeboat.mcp.transport;

import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.server.McpTransportResponse;
import java.util.List;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * Which protocol revision a message speaks. The stateless 2026-07-28 revision puts its version in every
 * request ({@code params._meta["io.modelcontextprotocol/protocolVersion"]}) and, over HTTP, in the
 * {@code MCP-Protocol-Version} header; the session revisions (2024-11-05 to 2025-11-25) put it in {@code
 * initialize} only and never in {@code _meta}. So each request can be routed on its own, to the server
 * of its revision, on one stdio stream or one HTTP endpoint.
 */
public final class Revisions {
    /** The {@code _meta} key of the stateless revision's version claim. */
    public static final String VERSION_CLAIM = "io.modelcontextprotocol/protocolVersion";

    /** The revisions the stateless server speaks: the transports route exactly these to it. */
    public static final List<String> STATELESS = List.of("2026-07-28");

    private Revisions() {}

    /** The request attribute the HTTP filter sets on a request for the stateless server. */
    static final String STATELESS_ATTRIBUTE = "lifeboat.stateless";

    /** Whether a request's params claim a stateless revision in their {@code _meta}. */
    static boolean claimsStateless(JsonNode params) {
        JsonNode meta = params == null ? null : params.get("_meta");
        JsonNode version = meta == null ? null : meta.get(VERSION_CLAIM);
        return version != null && version.isString() && !version.asString().isBlank();
    }

    /** Whether an HTTP request's {@code MCP-Protocol-Version} header names a stateless revision. */
    static boolean statelessHeader(String header) {
        return header != null && STATELESS.contains(header.trim());
    }

    /** What the stateless server answers a request with, message by message. */
    static Flux<JsonRpc.JSONRPCMessage> messages(McpTransportResponse response) {
        if (response instanceof McpTransportResponse.Streaming streaming) {
            return streaming.messages();
        }
        return response instanceof McpTransportResponse.Result result
                ? Flux.just(result.response())
                : Flux.just(((McpTransportResponse.Error) response).response());
    }
}
