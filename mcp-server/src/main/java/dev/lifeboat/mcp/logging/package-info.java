/**
 * Logging set up in code, found by logback through {@code META-INF/services} (no logback.xml to parse
 * at start-up): every line to stderr, because stdio MCP owns stdout, through the core's redacting
 * layout with MCP session ids masked too. The CLI's configurator extends the same base class.
 */
package dev.lifeboat.mcp.logging;
