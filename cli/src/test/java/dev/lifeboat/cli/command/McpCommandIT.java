package dev.lifeboat.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.cli.CliRun;
import dev.lifeboat.cli.ExitCodes;
import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.testing.ConfigBuilder;
import dev.lifeboat.mcp.McpServerRunner;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.auth.TokenAuthenticator;
import dev.lifeboat.mcp.auth.TokenEntry;
import dev.lifeboat.mcp.settings.McpSettings;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lifeboat mcp tools|call} against the spawned stdio server and a running HTTP server. */
class McpCommandIT {
    @TempDir
    Path dir;

    Path config;
    Map<String, String> env;

    @BeforeEach
    void config() throws Exception {
        config = ConfigBuilder.in(dir)
                .database("app", db -> db.host("127.0.0.1").port(1).user("app"))
                .store("local", dir.resolve("store"))
                .stateDir(dir.resolve("state"))
                .write();
        env = Map.of("HOME", dir.toString(), "LB_MCP_TOKEN", "lbt_cli-test-token-0123456789abcdef");
    }

    @Test
    void toolsListsEveryToolAsJson() {
        CliRun.Result r = CliRun.run(env, "mcp", "tools", "--config", config.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(compact(r.out()))
                .contains(
                        "\"list_databases\"",
                        "\"restore_backup\"",
                        "\"restore_over_existing\"",
                        "\"destructiveHint\":true");
    }

    @Test
    void callPrintsTheStructuredResultAndExitsWithTheErrorCodesExitCode() {
        CliRun.Result ok = CliRun.run(env, "mcp", "call", "list_databases", "--config", config.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(compact(ok.out())).contains("\"databases\"").contains("\"name\":\"app\"");

        CliRun.Result missing = CliRun.run(
                env,
                "mcp",
                "call",
                "get_backup",
                "--args",
                "{\"backup_id\":\"app-20200101T000000Z-0000\"}",
                "--config",
                config.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(compact(missing.out())).contains("\"code\":\"NOT_FOUND\"");

        CliRun.Result badArgs = CliRun.run(env, "mcp", "call", "get_backup", "--args", "not json");
        assertThat(badArgs.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void callTalksToARunningServerWithATokenFromTheEnvironment() throws Exception {
        McpSettings settings = new McpSettings(
                "127.0.0.1",
                0,
                List.of(),
                List.of(),
                List.of(new TokenEntry(
                        "cli", TokenAuthenticator.sha256(env.get("LB_MCP_TOKEN")), EnumSet.of(Scope.READ))));
        try (BackupService service = BackupService.open(new ConfigLoader(env).load(config), env);
                JettyMcpHttpServer server =
                        McpServerRunner.startHttp(settings, Tools.all(service), new CancelRegistry())) {
            String url = "http://127.0.0.1:" + server.port() + "/mcp";
            CliRun.Result ok =
                    CliRun.run(env, "mcp", "call", "list_backups", "--url", url, "--token-env", "LB_MCP_TOKEN");
            assertThat(ok.exitCode()).as(ok.err()).isZero();
            assertThat(compact(ok.out())).contains("\"count\":0");
            CliRun.Result sse = CliRun.run(
                    env, "mcp", "tools", "--url", url.replace("/mcp", "/sse"), "--token-env", "LB_MCP_TOKEN");
            assertThat(sse.exitCode()).as(sse.err()).isZero();
            CliRun.Result noToken = CliRun.run(env, "mcp", "call", "list_backups", "--url", url);
            assertThat(noToken.exitCode()).isNotZero();
        }
    }

    private static String compact(String json) {
        return json.replaceAll("\\s", "");
    }
}
