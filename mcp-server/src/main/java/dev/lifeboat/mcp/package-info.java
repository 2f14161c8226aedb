/**
 * The MCP server's entry points and wiring: {@code McpMain} (the {@code lifeboat-mcp} command),
 * {@code McpServerRunner} (config, service and transport for {@code lifeboat-mcp} and {@code lifeboat mcp
 * serve}), {@code LifeboatMcpServer} (the SDK server with Lifeboat's tools), {@code ToolDispatcher} (runs
 * one tool call: scope, arguments, operation context, result or error in the tool's schema) and {@code
 * McpToolClient} (the SDK client behind {@code lifeboat mcp call|tools}). Everything here may use the
 * sub-packages; nothing in them uses this package, so the wiring can change without touching them.
 */
package dev.lifeboat.mcp;
