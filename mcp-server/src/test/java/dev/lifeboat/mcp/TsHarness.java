package dev.lifeboat.mcp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The official TypeScript SDK client's harness ({@code target/ts-interop}, its packages installed) and
 * the node that runs its scripts: a spec goes in as a JSON file, the one JSON document the script
 * printed comes out. Without node 18 or later, or without npm, the test is skipped (or fails where
 * interop is required).
 */
record TsHarness(Path node, Path work) {
    static TsHarness installed() throws Exception {
        return new TsHarness(
                McpTsClientInteropIT.node(), McpTsClientInteropIT.install(McpTsClientInteropIT.executable("npm")));
    }

    /** Runs the interop script, which makes {@code spec}'s calls one after another; the spec goes to {@code file}. */
    JsonNode run(Path file, Map<String, Object> spec) throws Exception {
        return run("ts-client-interop.mjs", file, spec);
    }

    /** Runs the harness's {@code script} on {@code spec}, written to {@code file}. */
    JsonNode run(String script, Path file, Map<String, Object> spec) throws Exception {
        Files.writeString(file, McpTsClientInteropIT.JSON.writeValueAsString(spec));
        return McpTsClientInteropIT.run(work, node, script, file);
    }
}
