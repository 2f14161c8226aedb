package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpResults.errorCode;
import static dev.lifeboat.mcp.McpResults.map;
import static dev.lifeboat.mcp.McpResults.ok;
import static dev.lifeboat.mcp.McpResults.structured;
import static dev.lifeboat.mcp.McpResults.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.testing.SampleTree;
import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.tool.Arguments;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.ToolContext;
import dev.lifeboat.mcp.tool.ToolResult;
import dev.lifeboat.mcp.tool.Tools;
import dev.lifeboat.mcp.transport.CancelRegistry;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every result of every tool, error or success, is accepted by a client that validates
 * structuredContent against the tool's output schema (the TypeScript SDK's client does, even for
 * {@code isError} results; the Java SDK's client does not, so the ITs alone would never notice).
 * Runs the real stdio server in this JVM on a local store, a directory and a set: no PostgreSQL.
 */
class ToolDispatcherTest {
    @TempDir
    static Path dir;

    static Fixture fixture;
    static List<LifeboatTool> tools;

    @BeforeAll
    static void start() throws Exception {
        Path uploads = SampleTree.create(dir.resolve("uploads"), 5_000);
        fixture = new Fixture(
                dir, c -> c.directory("uploads", uploads, d -> d.store("local")).set("cvescan", "app", "uploads"));
        tools = Tools.all(fixture.service);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static McpSchema.Tool served(LifeboatTool tool) {
        return new ToolDispatcher(new CancelRegistry(), OutputSchemas.VALIDATOR)
                .specification(tool)
                .tool();
    }

    /** The error results a strict client would reject for {@code t}, with why; empty when it takes them all. */
    private static List<String> rejectedErrors(McpSchema.Tool t) {
        List<String> rejected = new java.util.ArrayList<>();
        for (McpSchema.CallToolResult error : List.of(
                ToolDispatcher.error("NOT_FOUND", "no backup 'x'", "list_backups shows the ids"),
                ToolDispatcher.error("INSUFFICIENT_SCOPE", "no", null),
                ToolDispatcher.error("INTERNAL", null, null))) {
            String problem = OutputSchemas.problem(t.outputSchema(), true, error.structuredContent());
            if (problem != null) {
                rejected.add(error.structuredContent() + ": " + problem);
            }
        }
        return rejected;
    }

    @Test
    void everyToolsOutputSchemaAcceptsTheErrorResultAndStillRequiresItsSuccessFields() {
        assertThat(tools).hasSize(15);
        for (LifeboatTool tool : tools) {
            // the server no longer checks this at each start: the tools are compiled in, this test holds
            // each of them to it, as listed to clients and in full (calls and answers are checked in full)
            assertThat(rejectedErrors(tool.definition()))
                    .as(tool.definition().name() + " in full")
                    .isEmpty();
            McpSchema.Tool t = served(tool);
            Map<String, Object> schema = t.outputSchema();
            assertThat(schema).as(t.name()).isNotNull().containsEntry("type", "object");
            assertThat(schema)
                    .as(t.name() + ": the success fields move into anyOf")
                    .doesNotContainKey("required");
            assertThat(rejectedErrors(t)).as(t.name() + " as listed").isEmpty();
            for (McpSchema.CallToolResult error : List.of(
                    ToolDispatcher.error("NOT_FOUND", "no backup 'x'", "list_backups shows the ids"),
                    ToolDispatcher.error("INTERNAL", null, null))) {
                OutputSchemas.assertConforms(t, error);
            }
            // a success must still carry its own fields, and an error its code and message
            assertThat(OutputSchemas.problem(schema, false, Map.of()))
                    .as(t.name())
                    .isNotNull();
            assertThat(OutputSchemas.problem(schema, true, Map.of("error", Map.of("code", "NOT_FOUND"))))
                    .as(t.name())
                    .isNotNull();
            assertThat(OutputSchemas.problem(schema, true, Map.of("error", Map.of("code", 404, "message", "m"))))
                    .as(t.name())
                    .isNotNull();
            assertThat(OutputSchemas.problem(schema, true, Map.of("error", "NOT_FOUND")))
                    .as(t.name())
                    .isNotNull();
        }
    }

    @Test
    void anOutputSchemaNotBuiltWithSchemaOutputRejectsTheErrorResult() {
        // why every tool builds its output schema with Schema.output, and what the test above would catch
        McpSchema.Tool strict = McpSchema.Tool.builder()
                .name("strict")
                .inputSchema(tools.get(0).definition().inputSchema())
                .outputSchema(Map.of(
                        "type", "object",
                        "properties", Map.of("status", Map.of("type", "string")),
                        "required", List.of("status")))
                .build();
        assertThat(rejectedErrors(strict)).hasSize(3).allMatch(r -> r.contains("status"));
    }

    @Test
    void errorTextKeepsCodeMessageAndHint() {
        McpSchema.CallToolResult r = ToolDispatcher.error("TOKEN_REJECTED", "the token has expired", "plan again");
        assertThat(r.isError()).isTrue();
        assertThat(((McpSchema.TextContent) r.content().get(0)).text())
                .isEqualTo("TOKEN_REJECTED: the token has expired\nHint: plan again");
        assertThat(r.structuredContent())
                .isEqualTo(Map.of(
                        "error",
                        Map.of("code", "TOKEN_REJECTED", "message", "the token has expired", "hint", "plan again")));
        assertThat(McpToolClient.errorCode(r)).isEqualTo("TOKEN_REJECTED");
        // a result without structured content (made by the SDK, or another server): the code from the text
        McpSchema.CallToolResult textOnly = McpSchema.CallToolResult.builder()
                .addTextContent("NOT_FOUND: no backup\nHint: list_backups")
                .isError(true)
                .build();
        assertThat(McpToolClient.errorCode(textOnly)).isEqualTo("NOT_FOUND");
        McpSchema.CallToolResult sdk = McpSchema.CallToolResult.builder()
                .addTextContent("Tool (x) output validation failed: ...")
                .isError(true)
                .build();
        assertThat(McpToolClient.errorCode(sdk)).isEqualTo("INTERNAL");
    }

    @Test
    void everyToolsSuccessesAndErrorsOnTheWireMatchItsOutputSchema() throws Exception {
        String id = fixture.seed(Instant.parse("2026-04-01T00:00:00Z"), "PGDMP-conform", "conform");
        String other = fixture.seed(Instant.parse("2026-04-01T00:01:00Z"), "PGDMP-other", null);
        String corrupt = fixture.seed(Instant.parse("2026-04-01T00:02:00Z"), "PGDMP-corrupt", null);
        fixture.corrupt(corrupt);
        TreeSet<String> succeeded = new TreeSet<>();
        TreeSet<String> failed = new TreeSet<>();
        try (InProcessSession s = new InProcessSession(tools)) {
            Map<String, McpSchema.Tool> served = s.tools();
            assertThat(served.keySet()).hasSize(15);
            BiFunction<String, Map<String, Object>, McpSchema.CallToolResult> call = (tool, args) -> {
                McpSchema.CallToolResult r = s.call(tool, args);
                OutputSchemas.assertConforms(served.get(tool), r);
                (Boolean.TRUE.equals(r.isError()) ? failed : succeeded).add(tool);
                return r;
            };

            ok(call.apply("list_databases", Map.of()));
            assertThat(structured(ok(call.apply("backup_status", Map.of())))).containsKey("healthy");
            assertThat(errorCode(call.apply("backup_status", Map.of("verbose", true))))
                    .isEqualTo("INVALID_ARGUMENT");
            ok(call.apply("list_backups", Map.of("database", "app")));
            ok(call.apply("get_backup", Map.of("backup_id", id)));
            ok(call.apply("verify_backup", Map.of("backup_id", id)));
            assertThat(structured(ok(call.apply("verify_backup", Map.of("backup_id", corrupt)))))
                    .containsEntry("passed", false);
            ok(call.apply("copy_backup", Map.of("backup_id", id, "to_store", "vault")));
            assertThat(structured(ok(call.apply("copy_backup", Map.of("backup_id", id, "to_store", "vault")))))
                    .containsEntry("already_present", true);
            assertThat(structured(ok(call.apply("prune_backups", Map.of()))))
                    .containsEntry("status", "nothing_to_prune");

            Map<String, Object> plan = structured(ok(call.apply("delete_backup", Map.of("backup_id", other))));
            String token = (String) map(plan.get("confirmation")).get("token");
            assertThat(errorCode(call.apply("delete_backup", Map.of("backup_id", other, "confirm_token", "nonsense"))))
                    .isEqualTo("TOKEN_REJECTED");
            assertThat(errorCode(call.apply("delete_backup", Map.of("backup_id", id, "confirm_token", token))))
                    .isEqualTo("TOKEN_REJECTED");
            assertThat(structured(ok(call.apply("delete_backup", Map.of("backup_id", other, "confirm_token", token)))))
                    .containsEntry("status", "deleted");

            Map<String, Object> created = structured(ok(call.apply("create_backup", Map.of("database", "uploads"))));
            assertThat(created).containsEntry("status", "created");
            String dirId = (String) map(created.get("backup")).get("backup_id");
            assertThat(structured(ok(call.apply("create_backup", Map.of("set", "cvescan")))))
                    .containsEntry("status", "incomplete");
            ok(call.apply("list_backups", Map.of("set", "cvescan")));
            assertThat(structured(ok(call.apply(
                            "restore_backup",
                            Map.of(
                                    "backup_id",
                                    dirId,
                                    "target_dir",
                                    dir.resolve("fresh").toString())))))
                    .containsEntry("status", "restored");
            Path live = Files.createDirectories(dir.resolve("live"));
            Files.writeString(live.resolve("newer.txt"), "newer");
            McpSchema.CallToolResult refused =
                    call.apply("restore_backup", Map.of("backup_id", dirId, "target_dir", live.toString()));
            assertThat(errorCode(refused)).isEqualTo("ALREADY_EXISTS");
            assertThat(text(refused))
                    .contains("Hint: ")
                    .contains("restore_over_existing")
                    .contains("target_dir");
            assertThat(Files.readString(live.resolve("newer.txt"))).isEqualTo("newer");
            Map<String, Object> over = structured(
                    ok(call.apply("restore_over_existing", Map.of("backup_id", dirId, "target_dir", live.toString()))));
            assertThat(over).containsEntry("status", "confirmation_required");
            assertThat(errorCode(call.apply(
                            "restore_over_existing",
                            Map.of("backup_id", dirId, "target_dir", live.toString(), "confirm_token", "nonsense"))))
                    .isEqualTo("TOKEN_REJECTED");
            assertThat(structured(ok(call.apply(
                            "restore_over_existing",
                            Map.of(
                                    "backup_id",
                                    dirId,
                                    "target_dir",
                                    live.toString(),
                                    "confirm_token",
                                    map(over.get("confirmation")).get("token"))))))
                    .containsEntry("status", "restored");
            Map<String, Object> drilled = structured(ok(call.apply("drill_backup", Map.of("backup_id", dirId))));
            assertThat(drilled).containsEntry("passed", true);
            assertThat(map(drilled.get("drill"))).containsEntry("result", "PASS");
            assertThat(errorCode(call.apply("drill_backup", Map.of("backup_id", dirId, "tables", List.of("public.t")))))
                    .isEqualTo("INVALID_ARGUMENT");
            // a long one: with no wait it may answer 'running', and get_operation has the drill record
            Map<String, Object> drilling =
                    structured(ok(call.apply("drill_backup", Map.of("backup_id", dirId, "wait", 0))));
            if (drilling.containsKey("operation_id")) {
                assertThat(drilling).containsEntry("status", "running");
                Map<String, Object> got = structured(ok(
                        call.apply("get_operation", Map.of("operation_id", drilling.get("operation_id"), "wait", 30))));
                assertThat(map(got.get("operation"))).containsEntry("tool", "drill_backup");
                assertThat(map(map(got.get("result")).get("drill"))).containsEntry("result", "PASS");
            } else {
                assertThat(map(drilling.get("drill"))).containsEntry("result", "PASS");
            }

            // errors: the service's, the dispatcher's argument checks (schema and shapes), the tools' own
            assertThat(errorCode(call.apply("get_backup", Map.of("backup_id", "app-20200101T000000Z-abcd"))))
                    .isEqualTo("NOT_FOUND");
            assertThat(errorCode(call.apply("get_backup", Map.of("backup_id", "../../etc/passwd"))))
                    .isEqualTo("INVALID_ARGUMENT");
            assertThat(errorCode(call.apply("list_backups", Map.of("host", "db.example.com"))))
                    .isEqualTo("INVALID_ARGUMENT");
            // absurd numbers: too large for any integer type, negative, fractional
            for (Object absurd : List.of(1e308, -5, 2.5, Long.MAX_VALUE)) {
                assertThat(errorCode(call.apply("list_backups", Map.of("limit", absurd))))
                        .as("limit %s", absurd)
                        .isEqualTo("INVALID_ARGUMENT");
            }
            assertThat(errorCode(call.apply("list_databases", Map.of("verbose", true))))
                    .isEqualTo("INVALID_ARGUMENT");
            assertThat(errorCode(call.apply("verify_backup", Map.of("backup_id", id, "level", "everything"))))
                    .isEqualTo("INVALID_ARGUMENT");
            // calls made before the split are refused with a hint naming the tool that does it now
            McpSchema.CallToolResult drillLevel =
                    call.apply("verify_backup", Map.of("backup_id", id, "level", "restore"));
            assertThat(errorCode(drillLevel)).isEqualTo("INVALID_ARGUMENT");
            assertThat(text(drillLevel)).contains("Hint: ").contains("drill_backup");
            McpSchema.CallToolResult overMode =
                    call.apply("restore_backup", Map.of("backup_id", id, "mode", "replace"));
            assertThat(errorCode(overMode)).isEqualTo("INVALID_ARGUMENT");
            assertThat(text(overMode)).contains("Hint: ").contains("restore_over_existing");
            assertThat(errorCode(call.apply("copy_backup", Map.of("backup_id", id, "to_store", "nowhere"))))
                    .isEqualTo("NOT_FOUND");
            assertThat(errorCode(call.apply("prune_backups", Map.of("database", "app"))))
                    .isEqualTo("INVALID_ARGUMENT");
            assertThat(errorCode(call.apply("create_backup", Map.of("database", "postgres://app:pw@db/app"))))
                    .isEqualTo("INVALID_ARGUMENT");
            assertThat(errorCode(call.apply("create_backup", Map.of("database", "uploads", "set", "cvescan"))))
                    .isEqualTo("INVALID_ARGUMENT");
            assertThat(errorCode(call.apply("restore_backup", Map.of("backup_id", "app-20200101T000000Z-abcd"))))
                    .isEqualTo("NOT_FOUND");

            // the operation tools: a verification started with no wait, fetched, then cancelled (or already done)
            Map<String, Object> started =
                    structured(ok(call.apply("verify_backup", Map.of("backup_id", id, "wait", 0))));
            String op = started.containsKey("operation_id") ? (String) started.get("operation_id") : null;
            Map<String, Object> listed = structured(ok(call.apply("get_operation", Map.of())));
            assertThat((List<?>) listed.get("operations")).isNotEmpty();
            if (op == null) {
                op = (String) map(((List<?>) listed.get("operations")).get(0)).get("operation_id");
            }
            Map<String, Object> fetched =
                    structured(ok(call.apply("get_operation", Map.of("operation_id", op, "wait", 30))));
            assertThat(map(fetched.get("operation"))).containsEntry("state", "succeeded");
            assertThat(map(fetched.get("result"))).containsEntry("passed", true);
            assertThat(map(structured(ok(call.apply("cancel_operation", Map.of("operation_id", op))))
                            .get("operation")))
                    .containsEntry("state", "succeeded");
            assertThat(errorCode(call.apply("get_operation", Map.of("operation_id", "op-" + "0".repeat(32)))))
                    .isEqualTo("NOT_FOUND");
            assertThat(errorCode(call.apply("cancel_operation", Map.of("operation_id", "op-" + "0".repeat(32)))))
                    .isEqualTo("NOT_FOUND");
            assertThat(errorCode(call.apply("undo_restore", Map.of("database", "app"))))
                    .isEqualTo("DATABASE_UNREACHABLE");
            assertThat(errorCode(call.apply("undo_restore", Map.of("database", "nope"))))
                    .isEqualTo("NOT_FOUND");
        }
        // undo_restore needs a database server: its successes are checked in PostgresToolsIT
        assertThat(succeeded).as("tools with a checked success").hasSize(14).doesNotContain("undo_restore");
        assertThat(failed).as("tools with a checked error").hasSize(15);
    }

    @Test
    void unexpectedFailuresBadSuccessesAndCancellationAreErrorsInTheDeclaredShape() throws Exception {
        McpSchema.Tool shape = tools.get(3).definition(); // get_backup: requires 'backup'
        List<LifeboatTool> fakes = new ArrayList<>();
        fakes.add(fake(rename(shape, "throws"), (a, c) -> {
            throw new IllegalStateException("boom: secret detail");
        }));
        fakes.add(fake(rename(shape, "throws_checked"), (a, c) -> sneaky(new java.io.IOException("disk gone"))));
        fakes.add(fake(rename(shape, "no_message"), (a, c) -> {
            throw new LifeboatException(ErrorCode.STORE_UNAVAILABLE, null, null);
        }));
        fakes.add(fake(rename(shape, "bad_success"), (a, c) -> new ToolResult(Map.of("backup", "not an object"), "?")));
        fakes.add(fake(rename(shape, "no_structured"), (a, c) -> new ToolResult(null, "text only")));
        fakes.add(fake(rename(shape, "waits_for_cancel"), (a, c) -> {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!c.operation().cancel().isCancelled() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            c.operation().cancel().throwIfCancelled();
            return new ToolResult(Map.of("backup", Map.of()), "not cancelled");
        }));
        try (InProcessSession s = new InProcessSession(fakes)) {
            Map<String, McpSchema.Tool> served = s.tools();
            Map<String, McpSchema.CallToolResult> results = new LinkedHashMap<>();
            for (String name : List.of("throws", "throws_checked", "no_message", "bad_success", "no_structured")) {
                results.put(name, s.call(name, Map.of("backup_id", "app-20200101T000000Z-abcd")));
            }
            String waiting = s.sendCall("waits_for_cancel", Map.of("backup_id", "app-20200101T000000Z-abcd"));
            Thread.sleep(200);
            s.notify("notifications/cancelled", Map.of("requestId", waiting, "reason", "the user changed their mind"));
            results.put("waits_for_cancel", InProcessSession.toolResult(s.await(waiting)));

            results.forEach((name, r) -> OutputSchemas.assertConforms(served.get(name), r));
            assertThat(errorCode(results.get("throws"))).isEqualTo("INTERNAL");
            assertThat(text(results.get("throws")))
                    .doesNotContain("secret detail")
                    .contains("Hint: ");
            assertThat(errorCode(results.get("throws_checked"))).isEqualTo("INTERNAL");
            assertThat(errorCode(results.get("no_message"))).isEqualTo("STORE_UNAVAILABLE");
            assertThat(text(results.get("no_message"))).isEqualTo("STORE_UNAVAILABLE: store unavailable");
            assertThat(errorCode(results.get("bad_success"))).isEqualTo("INTERNAL");
            assertThat(text(results.get("bad_success"))).contains("finished").contains("output schema");
            assertThat(errorCode(results.get("no_structured"))).isEqualTo("INTERNAL");
            assertThat(errorCode(results.get("waits_for_cancel"))).isEqualTo("CANCELLED");
        }
    }

    @Test
    void aScopeRefusalIsAnErrorInTheDeclaredShape() {
        LifeboatTool restore = tools.stream()
                .filter(t -> t.definition().name().equals("restore_backup"))
                .findFirst()
                .orElseThrow();
        McpSchema.Tool definition = served(restore);
        CallerInfo reader = new CallerInfo("http", "reader", EnumSet.of(Scope.READ), "session-1", 7);
        McpSyncServerExchange exchange = new McpSyncServerExchange(
                new McpAsyncServerExchange("session-1", null, null, null, reader.toContext()));
        McpSchema.CallToolResult r = new ToolDispatcher(new CancelRegistry(), OutputSchemas.VALIDATOR)
                .call(
                        restore,
                        definition,
                        exchange,
                        new McpSchema.CallToolRequest(
                                "restore_backup", Map.of("backup_id", "app-20200101T000000Z-abcd")));
        OutputSchemas.assertConforms(definition, r);
        assertThat(errorCode(r)).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(text(r)).contains("backups:restore").contains("\nHint: ");
    }

    // helpers

    /** What a fake tool does. */
    interface Body {
        ToolResult call(Arguments arguments, ToolContext context);
    }

    static LifeboatTool fake(McpSchema.Tool definition, BiFunction<Arguments, ToolContext, ToolResult> call) {
        return fake(definition, call::apply, Scope.READ);
    }

    static LifeboatTool fake(McpSchema.Tool definition, Body call, Scope scope) {
        return new LifeboatTool() {
            @Override
            public McpSchema.Tool definition() {
                return definition;
            }

            @Override
            public Scope scope() {
                return scope;
            }

            @Override
            public ToolResult call(Arguments arguments, ToolContext context) {
                return call.call(arguments, context);
            }
        };
    }

    static McpSchema.Tool rename(McpSchema.Tool t, String name) {
        return McpSchema.Tool.builder()
                .name(name)
                .description(t.description())
                .inputSchema(t.inputSchema())
                .outputSchema(t.outputSchema())
                .build();
    }

    @SuppressWarnings("unchecked")
    static <E extends Exception> ToolResult sneaky(Exception e) throws E {
        throw (E) e;
    }
}
