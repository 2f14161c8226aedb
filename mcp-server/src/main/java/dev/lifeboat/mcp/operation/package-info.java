/**
 * Long tool calls as operations that outlive their request, and progress fit for MCP.
 *
 * <p>{@link dev.lifeboat.mcp.operation.Operations} runs a backup, verification, restore or copy on a
 * thread of its own and keeps it, with its progress and finally its result, for its owner (the caller's
 * subject) for a bounded time. A request waits for it a bounded time and may then answer "running"; the
 * work stops only when cancelled. {@link dev.lifeboat.mcp.operation.MonotonicProgress} turns the core's
 * per-stage progress into one strictly increasing series, and {@link
 * dev.lifeboat.mcp.operation.ProgressRelay} rate-limits it and adds a heartbeat, so a host that resets
 * its timeout on progress keeps waiting while pg_restore or a drill's comparison report nothing. Nothing
 * here knows the SDK's transports or the tools; results are kept as the SDK's {@code CallToolResult}.
 */
package dev.lifeboat.mcp.operation;
