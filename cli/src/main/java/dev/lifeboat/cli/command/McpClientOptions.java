package dev.lifeboat.cli.command;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.McpToolClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** How {@code mcp tools} and {@code mcp call} reach a server. */
public final class McpClientOptions {
    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "A running server (http://127.0.0.1:8765/mcp; a URL ending in /sse uses the legacy SSE"
                    + " transport). Without it, the stdio server is spawned with the same configuration.")
    String url;

    @Option(
            names = "--token-env",
            paramLabel = "VAR",
            description = "Environment variable holding the bearer token for --url (never pass a token on the"
                    + " command line or in the URL).")
    String tokenEnv;

    McpToolClient connect(Path config, Map<String, String> env, PrintWriter err, boolean verbose) {
        java.util.function.Consumer<String> messages = verbose ? err::println : m -> {};
        if (url == null) {
            if (tokenEnv != null) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "--token-env is for --url",
                        "the spawned stdio server runs as you and needs no token");
            }
            return McpToolClient.stdio(config, env, messages);
        }
        String token = null;
        if (tokenEnv != null) {
            token = env.get(tokenEnv);
            if (token == null || token.isBlank()) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "environment variable " + tokenEnv + " is not set",
                        "export " + tokenEnv + "=<token> first");
            }
        }
        return McpToolClient.http(url, token, messages);
    }
}
