package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpResults.errorCode;
import static dev.lifeboat.mcp.McpResults.map;
import static dev.lifeboat.mcp.McpResults.ok;
import static dev.lifeboat.mcp.McpResults.structured;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.operation.Operations;
import dev.lifeboat.mcp.tool.CancelOperationTool;
import dev.lifeboat.mcp.tool.CreateBackupTool;
import dev.lifeboat.mcp.tool.GetOperationTool;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.LongRunningTool;
import dev.lifeboat.mcp.tool.ToolResult;
import dev.lifeboat.mcp.transport.CancelRegistry;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Long calls as operations, over the real stdio server in this JVM with tools that take as long as the
 * test wants: the 'running' answer, fetching the result later, cancelling, and who may do either. Every
 * answer is checked against the served output schema, as the TypeScript client checks it.
 */
class LongOperationsTest {
    static final Map<String, Object> BACKUP = Map.of(
            "status",
            "created",
            "backup",
            Map.of("backup_id", "app-20261201T000000Z-abcd", "database", "app", "store", "local"));

    /** create_backup's definition under another name, running {@code body}. */
    static LifeboatTool slow(String name, Operations ops, ToolDispatcherTest.Body body) {
        McpSchema.Tool shape = ToolDispatcherTest.rename(new CreateBackupTool(null).definition(), name);
        return new LongRunningTool(ToolDispatcherTest.fake(shape, body, Scope.WRITE), ops);
    }

    @Test
    void aCallNotDoneWithinItsWaitAnswersRunningAndGetOperationLaterReturnsItsResult() throws Exception {
        Operations ops = new Operations();
        CountDownLatch release = new CountDownLatch(1);
        List<LifeboatTool> tools = List.of(
                slow("slow_backup", ops, (a, c) -> {
                    c.operation().progress().report(0, 100, "dumping app");
                    c.operation().progress().report(50, 100, "dumping app");
                    await(release);
                    c.operation().progress().report(0, -1, "committing"); // a stage that restarts at zero
                    return new ToolResult(BACKUP, "Created backup");
                }),
                new GetOperationTool(ops),
                new CancelOperationTool(ops));
        try (InProcessSession s = new InProcessSession(tools)) {
            Map<String, McpSchema.Tool> served = s.tools();
            assertThat(served.get("slow_backup").inputSchema())
                    .extractingByKey("properties")
                    .asString()
                    .contains("wait");
            long t0 = System.nanoTime();
            McpSchema.CallToolResult running =
                    InProcessSession.toolResult(s.await(s.sendCall("slow_backup", Map.of("wait", 1), "p1")));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(900L, 10_000L);
            OutputSchemas.assertConforms(served.get("slow_backup"), running);
            Map<String, Object> answer = structured(ok(running));
            assertThat(answer).containsEntry("status", "running");
            String id = (String) answer.get("operation_id");
            assertThat(map(answer.get("operation")))
                    .containsEntry("state", "running")
                    .containsEntry("tool", "slow_backup");
            assertThat(McpResults.text(running)).contains("get_operation").contains(id);

            McpSchema.CallToolResult stillRunning = s.call("get_operation", Map.of("operation_id", id));
            OutputSchemas.assertConforms(served.get("get_operation"), stillRunning);
            assertThat(map(structured(ok(stillRunning)).get("operation"))).containsEntry("state", "running");

            String waiting = s.sendCall("get_operation", Map.of("operation_id", id, "wait", 30), "p2");
            Thread.sleep(200);
            release.countDown();
            McpSchema.CallToolResult finished = InProcessSession.toolResult(s.await(waiting));
            OutputSchemas.assertConforms(served.get("get_operation"), finished);
            Map<String, Object> done = structured(ok(finished));
            assertThat(map(done.get("operation")))
                    .containsEntry("state", "succeeded")
                    .containsKey("finished_at");
            assertThat(done.get("result")).isEqualTo(BACKUP);
            assertThat(McpResults.text(finished)).contains("Created backup");

            List<Double> p1 = progress(s, "p1");
            assertThat(p1)
                    .as("the first request heard the work while it waited")
                    .isNotEmpty();
            List<Double> p2 = progress(s, "p2");
            assertThat(p2).as("the long poll heard the later stage").isNotEmpty();
            assertIncreasing(p1);
            assertIncreasing(p2);
        }
    }

    @Test
    void onlyCancelOperationStopsARunningCallAndItThenReportsCancelled() throws Exception {
        Operations ops = new Operations();
        List<LifeboatTool> tools = List.of(
                slow("stubborn_backup", ops, (a, c) -> {
                    while (!c.operation().cancel().isCancelled()) {
                        sleep(10);
                    }
                    c.operation().cancel().throwIfCancelled();
                    return new ToolResult(BACKUP, "not cancelled");
                }),
                new GetOperationTool(ops),
                new CancelOperationTool(ops));
        try (InProcessSession s = new InProcessSession(tools)) {
            Map<String, McpSchema.Tool> served = s.tools();
            String request = s.sendCall("stubborn_backup", Map.of("wait", 0));
            String id = (String) structured(ok(InProcessSession.toolResult(s.await(request))))
                    .get("operation_id");
            // the client gives up on the request it already has an answer to: the work goes on
            s.notify("notifications/cancelled", Map.of("requestId", request, "reason", "Request timed out"));
            Thread.sleep(300);
            assertThat(map(structured(ok(s.call("get_operation", Map.of("operation_id", id))))
                            .get("operation")))
                    .containsEntry("state", "running");

            McpSchema.CallToolResult cancelled = s.call("cancel_operation", Map.of("operation_id", id));
            OutputSchemas.assertConforms(served.get("cancel_operation"), cancelled);
            Map<String, Object> op = map(structured(ok(cancelled)).get("operation"));
            assertThat(op).containsEntry("state", "cancelled").containsEntry("cancel_requested", true);
            assertThat(map(op.get("failure"))).containsEntry("code", "CANCELLED");
            McpSchema.CallToolResult later = s.call("get_operation", Map.of("operation_id", id));
            OutputSchemas.assertConforms(served.get("get_operation"), later);
            assertThat(map(structured(ok(later)).get("operation"))).containsEntry("state", "cancelled");
            assertThat(McpResults.text(later)).contains("CANCELLED");

            // while a request still waits, notifications/cancelled for it stops the work (MCP's own cancel)
            String waiting = s.sendCall("stubborn_backup", Map.of("wait", 30));
            Thread.sleep(300);
            s.notify("notifications/cancelled", Map.of("requestId", waiting, "reason", "the user changed their mind"));
            McpSchema.CallToolResult stopped = InProcessSession.toolResult(s.await(waiting));
            OutputSchemas.assertConforms(served.get("stubborn_backup"), stopped);
            assertThat(errorCode(stopped)).isEqualTo("CANCELLED");
        }
    }

    @Test
    void anotherSubjectCannotSeeAnOperationAndCancellingNeedsTheScopeOfItsCall() throws Exception {
        Operations ops = new Operations();
        CountDownLatch release = new CountDownLatch(1);
        LifeboatTool backup = slow("held_backup", ops, (a, c) -> {
            while (!c.operation().cancel().isCancelled() && release.getCount() > 0) {
                sleep(10);
            }
            c.operation().cancel().throwIfCancelled();
            return new ToolResult(BACKUP, "Created backup");
        });
        LifeboatTool get = new GetOperationTool(ops);
        LifeboatTool cancel = new CancelOperationTool(ops);
        ToolDispatcher dispatcher = new ToolDispatcher(new CancelRegistry(), OutputSchemas.VALIDATOR);
        CallerInfo writer = new CallerInfo("http", "ci", EnumSet.of(Scope.READ, Scope.WRITE), "s1", 1);
        CallerInfo readerSameSubject = new CallerInfo("http", "ci", EnumSet.of(Scope.READ), "s2", 1);
        CallerInfo otherSubject = new CallerInfo("sse", "dashboard", EnumSet.allOf(Scope.class), "s3", 1);

        Map<String, Object> running = structured(ok(call(dispatcher, backup, writer, Map.of("wait", 0))));
        String id = (String) running.get("operation_id");
        assertThat(errorCode(call(dispatcher, get, otherSubject, Map.of("operation_id", id))))
                .isEqualTo("NOT_FOUND");
        assertThat(errorCode(call(dispatcher, cancel, otherSubject, Map.of("operation_id", id))))
                .isEqualTo("NOT_FOUND");
        assertThat(structured(ok(call(dispatcher, get, otherSubject, Map.of()))).get("operations"))
                .asList()
                .isEmpty();
        McpSchema.CallToolResult refused = call(dispatcher, cancel, readerSameSubject, Map.of("operation_id", id));
        OutputSchemas.assertConforms(dispatcher.specification(cancel).tool(), refused);
        assertThat(errorCode(refused)).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(McpResults.text(refused)).contains("backups:write");
        assertThat(map(structured(ok(call(dispatcher, get, readerSameSubject, Map.of("operation_id", id))))
                        .get("operation")))
                .containsEntry("state", "running");
        // a token without the call's scope cannot start it either, and starts nothing
        assertThat(errorCode(call(dispatcher, backup, readerSameSubject, Map.of("wait", 0))))
                .isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(ops.of("ci")).hasSize(1);

        assertThat(map(structured(ok(call(dispatcher, cancel, writer, Map.of("operation_id", id))))
                        .get("operation")))
                .containsEntry("state", "cancelled");
        release.countDown();
        ops.close();
    }

    static McpSchema.CallToolResult call(
            ToolDispatcher dispatcher, LifeboatTool tool, CallerInfo caller, Map<String, Object> args) {
        McpSyncServerExchange exchange = new McpSyncServerExchange(
                new McpAsyncServerExchange(caller.sessionKey(), null, null, null, caller.toContext()));
        McpSchema.Tool definition = dispatcher.specification(tool).tool();
        McpSchema.CallToolResult r =
                dispatcher.call(tool, definition, exchange, new McpSchema.CallToolRequest(definition.name(), args));
        OutputSchemas.assertConforms(definition, r);
        return r;
    }

    static List<Double> progress(InProcessSession s, String token) {
        List<Double> out = new ArrayList<>();
        for (Map<String, Object> n : s.notifications) {
            if ("notifications/progress".equals(n.get("method"))
                    && n.get("params") instanceof Map<?, ?> p
                    && token.equals(p.get("progressToken"))) {
                out.add(((Number) p.get("progress")).doubleValue());
            }
        }
        return out;
    }

    static void assertIncreasing(List<Double> values) {
        for (int i = 1; i < values.size(); i++) {
            assertThat(values.get(i)).as(values.toString()).isGreaterThan(values.get(i - 1));
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
