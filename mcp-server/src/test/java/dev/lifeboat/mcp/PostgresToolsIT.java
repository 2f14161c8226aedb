package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.testing.PgCluster;
import dev.lifeboat.core.testing.SampleData;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import dev.lifeboat.mcp.transport.JettyMcpHttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model's whole journey against a real PostgreSQL (scram-sha-256, real pg_dump/pg_restore), through
 * the SDK's client over stdio (spawned server), Streamable HTTP and SSE: back up, verify, restore into
 * a new database, be stopped at the confirmation step, restore over the database with the token, and
 * cancel a running backup. The cluster's password is the canary.
 */
class PostgresToolsIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static PgCluster pg;
    static String source;
    static Path configFile;
    static Map<String, String> env;
    static BackupService service;
    static JettyMcpHttpServer http;
    static final Map<String, McpSyncClient> clients = new HashMap<>();
    static final Map<String, List<McpSchema.ProgressNotification>> progress = new HashMap<>();
    static final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        pg = PgCluster.shared();
        source = pg.createUniqueDatabase("mcpsrc");
        SampleData.create(pg, source, 200);
        configFile = dir.resolve("lifeboat.yaml");
        Files.writeString(configFile, """
                databases:
                  app:
                    host: 127.0.0.1
                    port: %d
                    dbname: %s
                    user: %s
                    sslmode: disable
                    password_env: LB_TEST_PW
                stores:
                  local:
                    uri: %s
                state_dir: %s
                """.formatted(
                pg.port(), source, PgCluster.SUPERUSER, dir.resolve("store").toUri(), dir.resolve("state")));
        Files.setPosixFilePermissions(configFile, PosixFilePermissions.fromString("rw-------"));
        env = Map.of("HOME", dir.toString(), "LB_TEST_PW", pg.password());
        LifeboatConfig config = new ConfigLoader(env).load(configFile);
        service = BackupService.open(config, env);
        http = McpServerRunner.startHttp(
                HttpSecurityTest.settings("127.0.0.1"), Tools.all(service), new CancelRegistry());

        String base = "http://127.0.0.1:" + http.port();
        HttpRequest.Builder auth = HttpRequest.newBuilder().header("Authorization", "Bearer " + HttpSecurityTest.FULL);
        StdioClientTransport stdio = new StdioClientTransport(serverProcess(), McpJsonDefaults.getMapper());
        stdio.setStdErrorHandler(seen::add);
        clients.put("stdio", client("stdio", stdio));
        clients.put(
                "http",
                client(
                        "http",
                        HttpClientStreamableHttpTransport.builder(base)
                                .endpoint("/mcp")
                                .requestBuilder(auth.copy())
                                .build()));
        clients.put(
                "sse",
                client(
                        "sse",
                        HttpClientSseClientTransport.builder(base)
                                .sseEndpoint("/sse")
                                .requestBuilder(auth.copy())
                                .build()));
    }

    static ServerParameters serverProcess() {
        return ServerParameters.builder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .args(
                        "-cp",
                        System.getProperty("java.class.path"),
                        McpMain.class.getName(),
                        "--config",
                        configFile.toString())
                .env(env)
                .build();
    }

    static McpSyncClient client(String name, McpClientTransport transport) {
        List<McpSchema.ProgressNotification> mine = Collections.synchronizedList(new ArrayList<>());
        progress.put(name, mine);
        McpSyncClient c = McpClient.sync(transport)
                .requestTimeout(Duration.ofMinutes(2))
                .loggingConsumer(n -> seen.add(name + " log " + n.level() + " " + n.data()))
                .progressConsumer(n -> {
                    mine.add(n);
                    seen.add(String.valueOf(n));
                })
                .build();
        c.initialize();
        c.setLoggingLevel(McpSchema.LoggingLevel.INFO);
        return c;
    }

    @AfterAll
    static void stop() throws Exception {
        clients.values().forEach(McpSyncClient::closeGracefully);
        http.close();
        service.close();
        assertThat(String.join("\n", seen)).doesNotContain(pg.password());
        assertThat(Files.readString(dir.resolve("state").resolve("audit.jsonl")))
                .doesNotContain(pg.password());
    }

    static McpSchema.CallToolResult call(String transport, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = clients.get(transport)
                .callTool(McpSchema.CallToolRequest.builder()
                        .name(tool)
                        .arguments(args)
                        .progressToken(tool + "-" + transport)
                        .build());
        seen.add(String.valueOf(r));
        // what a client that validates structuredContent (the TypeScript SDK's) would check
        OutputSchemas.assertConforms(clients.get(transport), tool, r);
        return r;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sc(McpSchema.CallToolResult r) {
        assertThat(r.structuredContent()).as(String.valueOf(r)).isNotNull();
        return (Map<String, Object>) r.structuredContent();
    }

    @SuppressWarnings("unchecked")
    static String code(McpSchema.CallToolResult r) {
        assertThat(r.isError()).as(String.valueOf(r)).isTrue();
        return (String) ((Map<String, Object>) sc(r).get("error")).get("code");
    }

    static String newName(String prefix) {
        return prefix + "_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    @SuppressWarnings("unchecked")
    static String backup(String transport) {
        McpSchema.CallToolResult created =
                call(transport, "create_backup", Map.of("database", "app", "label", "mcp " + transport));
        assertThat(created.isError()).as(String.valueOf(created)).isFalse();
        return (String) ((Map<String, Object>) sc(created).get("backup")).get("backup_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http", "sse"})
    void aModelCanBackUpVerifyAndRestoreIntoANewDatabase(String transport) {
        String id = backup(transport);
        assertThat(progress.get(transport)).isNotEmpty();
        assertThat(seen).anyMatch(s -> s.startsWith(transport + " log INFO backup of app started"));

        McpSchema.CallToolResult verify = call(transport, "verify_backup", Map.of("backup_id", id, "level", "archive"));
        assertThat(sc(verify)).containsEntry("passed", true);

        String target = newName("restored");
        McpSchema.CallToolResult restored =
                call(transport, "restore_backup", Map.of("backup_id", id, "mode", "create", "target_dbname", target));
        assertThat(restored.isError()).as(String.valueOf(restored)).isFalse();
        assertThat(sc(restored)).containsEntry("status", "restored");
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
        pg.dropDatabase(target);
    }

    @SuppressWarnings("unchecked")
    @Test
    void aModelCanAskForZstdAndForParallelRestoreJobs() {
        McpSchema.CallToolResult created =
                call("stdio", "create_backup", Map.of("database", "app", "compression", "zstd"));
        assertThat(created.isError()).as(String.valueOf(created)).isFalse();
        Map<String, Object> backup = (Map<String, Object>) sc(created).get("backup");
        assertThat(backup).containsEntry("compression", "zstd");
        String id = (String) backup.get("backup_id");

        String target = newName("zstd_jobs");
        McpSchema.CallToolResult restored = call(
                "stdio",
                "restore_backup",
                Map.of("backup_id", id, "mode", "create", "target_dbname", target, "jobs", 2));
        assertThat(restored.isError()).as(String.valueOf(restored)).isFalse();
        assertThat((Map<String, Object>) sc(restored).get("result")).containsEntry("jobs", 2);
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));
        pg.dropDatabase(target);

        McpSchema.CallToolResult unknown =
                call("stdio", "create_backup", Map.of("database", "app", "compression", "lz4"));
        assertThat(unknown.isError()).as(String.valueOf(unknown)).isTrue();
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http", "sse"})
    void aDestructiveRestoreStopsAtConfirmationAndRunsOnlyWithItsToken(String transport) {
        String id = backup(transport);
        String target = newName("live");
        pg.createDatabase(target);
        pg.execute(target, "CREATE TABLE public.numbers (id int)", "INSERT INTO public.numbers VALUES (42)");
        String other = newName("other");
        pg.createDatabase(other);

        Map<String, Object> args = Map.of("backup_id", id, "mode", "clean", "target_dbname", target);
        McpSchema.CallToolResult plan = call(transport, "restore_backup", args);
        assertThat(plan.isError()).isFalse();
        assertThat(sc(plan)).containsEntry("status", "confirmation_required");
        Map<String, Object> p = (Map<String, Object>) sc(plan).get("plan");
        assertThat((String) p.get("summary")).contains(target);
        assertThat(p).containsEntry("destructive", true);
        String token = (String) ((Map<String, Object>) sc(plan).get("confirmation")).get("token");
        // the model was stopped: nothing changed yet
        assertThat(pg.queryValue(target, "SELECT count(*) FROM public.numbers")).isEqualTo("1");

        Map<String, Object> elsewhere =
                Map.of("backup_id", id, "mode", "clean", "target_dbname", other, "confirm_token", token);
        assertThat(code(call(transport, "restore_backup", elsewhere))).isEqualTo("TOKEN_REJECTED");

        Map<String, Object> withToken = new HashMap<>(args);
        withToken.put("confirm_token", token);
        McpSchema.CallToolResult done = call(transport, "restore_backup", withToken);
        assertThat(done.isError()).as(String.valueOf(done)).isFalse();
        assertThat(sc(done)).containsEntry("status", "restored");
        assertThat(pg.tableFingerprints(target)).isEqualTo(pg.tableFingerprints(source));

        McpSchema.CallToolResult replay = call(transport, "restore_backup", withToken);
        assertThat(code(replay)).isEqualTo("TOKEN_REJECTED");
        assertThat(replay.content().toString()).contains("already used");
        pg.dropDatabase(target);
        pg.dropDatabase(other);
    }

    @Test
    void cancellingARunningBackupOverStdioStopsPgDumpAndListsNothing() throws Exception {
        String bulk = pg.createUniqueDatabase("mcpbulk");
        SampleData.createBulk(pg, bulk, 24);
        Path bulkConfig = dir.resolve("bulk.yaml");
        Files.writeString(
                bulkConfig,
                Files.readString(configFile)
                        .replace("dbname: " + source, "dbname: " + bulk)
                        .replace("  app:", "  bulk:"));
        Files.setPosixFilePermissions(bulkConfig, PosixFilePermissions.fromString("rw-------"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                McpMain.class.getName(),
                "--config",
                bulkConfig.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process server = pb.start();
        try (OutputStream in = server.getOutputStream();
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            send(
                    in,
                    "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(
                    in,
                    "{\"jsonrpc\":\"2.0\",\"id\":\"b1\",\"method\":\"tools/call\",\"params\":{\"name\":"
                            + "\"create_backup\",\"arguments\":{\"database\":\"bulk\"},\"_meta\":{\"progressToken\":\"p1\"}}}");
            JsonNode reply = null;
            boolean cancelled = false;
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                JsonNode n = JSON.readTree(line);
                if (!cancelled
                        && "notifications/progress".equals(n.path("method").asString(""))) {
                    send(
                            in,
                            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
                                    + "{\"requestId\":\"b1\",\"reason\":\"user pressed stop\"}}");
                    cancelled = true;
                }
                if ("b1".equals(n.path("id").asString(""))) {
                    reply = n;
                    break;
                }
            }
            assertThat(cancelled).as(String.join("\n", lines)).isTrue();
            assertThat(reply).isNotNull();
            assertThat(reply.at("/result/isError").asBoolean()).isTrue();
            assertThat(reply.at("/result/structuredContent/error/code").asString())
                    .isEqualTo("CANCELLED");
            assertThat(String.join("\n", lines)).doesNotContain(pg.password());

            assertThat(server.descendants()
                            .filter(p -> p.info().command().orElse("").endsWith("pg_dump")))
                    .isEmpty();
            send(
                    in,
                    "{\"jsonrpc\":\"2.0\",\"id\":\"l1\",\"method\":\"tools/call\",\"params\":{\"name\":"
                            + "\"list_backups\",\"arguments\":{\"database\":\"bulk\"}}}");
            while ((line = out.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                if ("l1".equals(n.path("id").asString(""))) {
                    assertThat(n.at("/result/structuredContent/count").asInt()).isZero();
                    break;
                }
            }
        } finally {
            server.waitFor(20, TimeUnit.SECONDS);
            server.destroyForcibly();
            pg.dropDatabase(bulk);
        }
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.info().command().orElse("").endsWith("pg_dump")))
                .isEmpty();
    }

    private static void send(OutputStream in, String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Test
    void cancellingARunningBackupOverStreamableHttpStopsPgDump() throws Exception {
        String bulk = pg.createUniqueDatabase("mcpbulkh");
        SampleData.createBulk(pg, bulk, 24);
        Path bulkConfig = dir.resolve("bulk-http.yaml");
        Files.writeString(
                bulkConfig,
                Files.readString(configFile)
                        .replace("dbname: " + source, "dbname: " + bulk)
                        .replaceAll(
                                "uri: .*", "uri: " + dir.resolve("bulk-store").toUri()));
        Files.setPosixFilePermissions(bulkConfig, PosixFilePermissions.fromString("rw-------"));
        try (BackupService bulkService = BackupService.open(new ConfigLoader(env).load(bulkConfig), env);
                JettyMcpHttpServer server = McpServerRunner.startHttp(
                        HttpSecurityTest.settings("127.0.0.1"), Tools.all(bulkService), new CancelRegistry())) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.net.URI mcp = java.net.URI.create("http://127.0.0.1:" + server.port() + "/mcp");
            java.util.function.Function<String, HttpRequest.Builder> post = body -> HttpRequest.newBuilder(mcp)
                    .header("Authorization", "Bearer " + HttpSecurityTest.FULL)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            var init = client.send(
                    post.apply(HttpSecurityTest.INIT).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            client.send(
                    post.apply("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                            .header("Mcp-Session-Id", session)
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            var stream = client.send(
                    post.apply("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
                                    + "\"create_backup\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p\"}}}")
                            .header("Mcp-Session-Id", session)
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            boolean cancelled = false;
            JsonNode reply = null;
            for (String line : (Iterable<String>) stream.body()::iterator) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode n = JSON.readTree(line.substring(5).trim());
                if (!cancelled
                        && "notifications/progress".equals(n.path("method").asString(""))) {
                    var ack = client.send(
                            post.apply("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
                                            + "{\"requestId\":7}}")
                                    .header("Mcp-Session-Id", session)
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                    assertThat(ack.statusCode()).isEqualTo(202);
                    cancelled = true;
                }
                if (n.path("id").asInt(-1) == 7) {
                    reply = n;
                    break;
                }
            }
            assertThat(cancelled).isTrue();
            assertThat(reply).isNotNull();
            assertThat(reply.at("/result/structuredContent/error/code").asString())
                    .isEqualTo("CANCELLED");
            assertThat(bulkService.list(dev.lifeboat.core.manage.ListBackupsQuery.all()))
                    .isEmpty();
        } finally {
            pg.dropDatabase(bulk);
        }
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.info().command().orElse("").endsWith("pg_dump")))
                .isEmpty();
    }

    @Test
    void cancellingARunningBackupOverLegacySseStopsPgDump() throws Exception {
        String bulk = pg.createUniqueDatabase("mcpbulks");
        SampleData.createBulk(pg, bulk, 24);
        Path bulkConfig = dir.resolve("bulk-sse.yaml");
        Files.writeString(
                bulkConfig,
                Files.readString(configFile)
                        .replace("dbname: " + source, "dbname: " + bulk)
                        .replaceAll(
                                "uri: .*",
                                "uri: " + dir.resolve("bulk-sse-store").toUri()));
        Files.setPosixFilePermissions(bulkConfig, PosixFilePermissions.fromString("rw-------"));
        try (BackupService bulkService = BackupService.open(new ConfigLoader(env).load(bulkConfig), env);
                JettyMcpHttpServer server = McpServerRunner.startHttp(
                        HttpSecurityTest.settings("127.0.0.1"), Tools.all(bulkService), new CancelRegistry())) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            var events = client.send(
                            HttpRequest.newBuilder(java.net.URI.create(base + "/sse"))
                                    .header("Authorization", "Bearer " + HttpSecurityTest.FULL)
                                    .header("Accept", "text/event-stream")
                                    .GET()
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofLines())
                    .body()
                    .iterator();
            String endpoint = null;
            while (endpoint == null && events.hasNext()) {
                String line = events.next();
                if (line.startsWith("data:") && line.contains("/message")) {
                    endpoint = line.substring(5).trim();
                }
            }
            java.net.URI message = java.net.URI.create(base + endpoint);
            java.util.function.Function<String, HttpRequest> post = body -> HttpRequest.newBuilder(message)
                    .header("Authorization", "Bearer " + HttpSecurityTest.FULL)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            client.send(post.apply(HttpSecurityTest.INIT), java.net.http.HttpResponse.BodyHandlers.discarding());
            client.send(
                    post.apply("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            // the legacy transport answers the POST only when the call is done: send it without waiting
            var call = client.sendAsync(
                    post.apply("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":"
                            + "\"create_backup\",\"arguments\":{},\"_meta\":{\"progressToken\":\"s\"}}}"),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            boolean cancelled = false;
            JsonNode reply = null;
            while (events.hasNext()) {
                String line = events.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode n = JSON.readTree(line.substring(5).trim());
                if (!cancelled
                        && "notifications/progress".equals(n.path("method").asString(""))) {
                    client.send(
                            post.apply("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
                                    + "{\"requestId\":9}}"),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                    cancelled = true;
                }
                if (n.path("id").asInt(-1) == 9) {
                    reply = n;
                    break;
                }
            }
            call.get(30, TimeUnit.SECONDS);
            assertThat(cancelled).isTrue();
            assertThat(reply).isNotNull();
            assertThat(reply.at("/result/structuredContent/error/code").asString())
                    .isEqualTo("CANCELLED");
            assertThat(bulkService.list(dev.lifeboat.core.manage.ListBackupsQuery.all()))
                    .isEmpty();
        } finally {
            pg.dropDatabase(bulk);
        }
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.info().command().orElse("").endsWith("pg_dump")))
                .isEmpty();
    }
}
