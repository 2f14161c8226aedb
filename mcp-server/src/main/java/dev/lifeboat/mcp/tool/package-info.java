/**
 * The MCP tools, one class per tool: its definition for the model (name, description, input and output
 * schemas, annotations), the scope it needs, and its translation from arguments to one {@code
 * BackupService} call and from the result to structured content and a summary. Tools know nothing of
 * transports or tokens: the dispatcher hands them parsed arguments and an operation context.
 */
package dev.lifeboat.mcp.tool;
