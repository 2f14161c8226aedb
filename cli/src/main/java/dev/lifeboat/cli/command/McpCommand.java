package dev.lifeboat.cli.command;

import picocli.CommandLine.Command;

/** {@code lifeboat mcp serve|tools|call}. */
@Command(name = "mcp", description = "Run the MCP server, or talk to one from a script.")
public final class McpCommand extends GroupCommand {}
