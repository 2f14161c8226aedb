package dev.lifeboat.mcp.tool;

import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * One MCP tool: its description for the model and its translation from arguments to one
 * {@code BackupService} call. Expected failures are thrown as {@code LifeboatException}; the server
 * turns them into {@code isError} results.
 */
public interface LifeboatTool {
    /** The tool as {@code tools/list} shows it: name, title, description, schemas, annotations. */
    McpSchema.Tool definition();

    /** What an HTTP token must hold to call it. */
    Scope scope();

    /** What an HTTP token must hold for this call; a tool whose arguments raise the stakes overrides it. */
    default Scope scope(java.util.Map<String, Object> arguments) {
        return scope();
    }

    ToolResult call(Arguments arguments, ToolContext context);

    /**
     * For arguments its schema refuses: the hint naming the tool that now does what they ask (a call
     * made before a tool was split), or null.
     */
    default String movedTo(java.util.Map<String, Object> arguments) {
        return null;
    }
}
