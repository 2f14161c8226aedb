package dev.lifeboat.mcp.tool;

import java.util.Map;

/**
 * A successful tool call.
 *
 * @param structured the {@code structuredContent}, conforming to the tool's output schema
 * @param summary a short text for clients that show text only
 */
public record ToolResult(Map<String, Object> structured, String summary) {}
