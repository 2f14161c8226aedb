/**
 * How requests arrive: the stdio transport (replacing the SDK's: -32700 for a bad line, replies drained
 * at EOF), the HTTP transports on Jetty (Streamable HTTP and legacy SSE), what stands in front of them
 * (the allowed methods, body size and body time on Jetty's own API; then the servlet filter: Host/Origin,
 * bearer tokens, sessions and their caps, the JSON-RPC body read before the SDK, sanitized error
 * bodies), and the {@code CancelRegistry} through which a transport routes {@code
 * notifications/cancelled} to a running call, which the SDK does not do. Tools never see this package.
 */
package dev.lifeboat.mcp.transport;
