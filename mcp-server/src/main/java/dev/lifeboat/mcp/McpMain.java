package dev.lifeboat.mcp;

/** Entry point of the MCP server (filled by the MCP issue). */
public final class McpMain {
    private McpMain() {}

    public static void main(String[] args) {
        System.err.println("lifeboat-mcp: not yet");
        System.exit(1);
    }
}
