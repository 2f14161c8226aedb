package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.operation.Operations;
import dev.lifeboat.mcp.tool.CreateBackupTool;
import dev.lifeboat.mcp.tool.GetOperationTool;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.LongRunningTool;
import dev.lifeboat.mcp.tool.ToolContext;
import dev.lifeboat.mcp.tool.ToolResult;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The tasks utility's decisions over the real stdio server in this JVM, with tools that take as long as
 * the test wants: which tools may run as tasks, a task's states as tasks/get reports them, tasks/result
 * waiting for the work, cancelling, and the spec's errors.
 */
class ToolTasksTest {
    private static final Map<String, Object> TASK = Map.of("ttl", 60_000);

    /** create_backup's definition (annotations included) under another name, running {@code body}. */
    static LifeboatTool slow(String name, Operations ops, ToolDispatcherTest.Body body, boolean destructive) {
        McpSchema.Tool shape = new CreateBackupTool(null).definition();
        McpSchema.Tool renamed = McpSchema.Tool.builder()
                .name(name)
                .description(shape.description())
                .inputSchema(shape.inputSchema())
                .outputSchema(shape.outputSchema())
                .annotations(new McpSchema.ToolAnnotations(name, false, destructive, false, false, null))
                .build();
        return new LongRunningTool(ToolDispatcherTest.fake(renamed, body, Scope.WRITE), ops);
    }

    @Test
    void aTaskWorksUntilItsWorkEndsAndTasksResultWaitsForTheCallsOwnResult() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        withSlowBackup(halfwayUntil(release, c -> {}), s -> {
            Map<String, Object> created = result(s.request("tools/call", call("slow_backup", Map.of())));
            Map<String, Object> task = map(created.get("task"));
            String id = (String) task.get("taskId");
            assertThat(task).containsEntry("status", "working").containsKeys("createdAt", "lastUpdatedAt", "ttl");
            assertThat(id).matches("op-[0-9a-f]{32}");

            Map<String, Object> working = awaitMessage(s, id, "dumping app");
            assertThat(working).containsEntry("status", "working");
            assertThat((String) working.get("statusMessage")).isEqualTo("50%, dumping app");

            String pending = s.send("tasks/result", Map.of("taskId", id));
            Thread.sleep(300);
            assertThat(s.request("tasks/get", Map.of("taskId", id)))
                    .as("tasks/result waits while the work runs")
                    .doesNotContainKey("error");
            release.countDown();
            Map<String, Object> done = result(s.await(pending));
            assertThat(map(done.get("structuredContent"))).containsEntry("status", "created");
            assertThat(map(map(done.get("_meta")).get("io.modelcontextprotocol/related-task")))
                    .containsEntry("taskId", id);
            Map<String, Object> completed = result(s.request("tasks/get", Map.of("taskId", id)));
            assertThat(completed).containsEntry("status", "completed");
            assertThat(((Number) completed.get("ttl")).longValue())
                    .as("kept an hour after it finished, counted from its creation")
                    .isGreaterThanOrEqualTo(Operations.KEEP.toMillis());
            assertThat(working).containsEntry("ttl", null);
            assertThat(result(s.request("tasks/list", Map.of())).get("tasks").toString())
                    .contains(id);
        });
    }

    @Test
    void aCancelledTaskStaysCancelledAndCannotBeCancelledAgain() throws Exception {
        withSlowBackup(
                (a, c) -> {
                    while (!c.operation().cancel().isCancelled()) {
                        LongOperationsTest.sleep(20);
                    }
                    c.operation().cancel().throwIfCancelled();
                    return new ToolResult(LongOperationsTest.BACKUP, "unreachable");
                },
                s -> {
                    String id = startTask(s, call("slow_backup", Map.of()));
                    assertThat(result(s.request("tasks/cancel", Map.of("taskId", id))))
                            .containsEntry("status", "cancelled");
                    Map<String, Object> ended = result(s.request("tasks/result", Map.of("taskId", id)));
                    assertThat(ended).containsEntry("isError", true);
                    assertThat(map(map(ended.get("structuredContent")).get("error")))
                            .containsEntry("code", "CANCELLED");
                    assertThat(result(s.request("tasks/get", Map.of("taskId", id))))
                            .containsEntry("status", "cancelled");
                    assertThat(error(s.request("tasks/cancel", Map.of("taskId", id))))
                            .containsEntry("code", -32602);
                });
    }

    @Test
    void aTaskCreatedWithAProgressTokenReportsItsProgressOnThatTokenUntilItEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        withSlowBackup(halfwayUntil(release, c -> c.operation().progress().report(100, 100, "stored")), s -> {
            String id = startTask(s, call("slow_backup", Map.of(), "tok-7"));
            awaitProgress(s, "tok-7", 1);
            assertThat(progressOf(s, "tok-7"))
                    .as("reported after the call was answered with the task")
                    .first()
                    .satisfies(p -> assertThat(p).containsEntry("message", "dumping app"));
            release.countDown();
            result(s.request("tasks/result", Map.of("taskId", id)));

            List<Map<String, Object>> heard = progressOf(s, "tok-7");
            assertThat(heard.get(heard.size() - 1))
                    .containsEntry("progress", 100.0)
                    .containsEntry("message", "stored");
            for (int i = 1; i < heard.size(); i++) {
                assertThat((Double) heard.get(i).get("progress"))
                        .as("progress only increases")
                        .isGreaterThan((Double) heard.get(i - 1).get("progress"));
            }
        });
    }

    @Test
    void aCancelledTaskSendsNoProgressAfterItsCancelWasAnswered() throws Exception {
        withSlowBackup(
                (a, c) -> {
                    // goes on reporting for a while after the cancel, as a step that cannot stop at once
                    long stopAt = Long.MAX_VALUE;
                    for (int i = 1; System.nanoTime() < stopAt; i++) {
                        c.operation().progress().report(i, -1, "step " + i);
                        if (stopAt == Long.MAX_VALUE && c.operation().cancel().isCancelled()) {
                            stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
                        }
                        LongOperationsTest.sleep(10);
                    }
                    c.operation().cancel().throwIfCancelled();
                    return new ToolResult(LongOperationsTest.BACKUP, "unreachable");
                },
                s -> {
                    String id = startTask(s, call("slow_backup", Map.of(), 42));
                    awaitProgress(s, 42, 2);
                    assertThat(result(s.request("tasks/cancel", Map.of("taskId", id))))
                            .containsEntry("status", "cancelled");
                    // replies and notifications share one stream in order: all sent before the answer are here
                    int beforeTheAnswer = progressOf(s, 42).size();
                    assertThat(beforeTheAnswer).isGreaterThanOrEqualTo(2);

                    result(s.request("tasks/result", Map.of("taskId", id)));
                    assertThat(progressOf(s, 42))
                            .as("the work reported for 600 ms more; the task's status was already terminal")
                            .hasSize(beforeTheAnswer);
                });
    }

    @Test
    void onlyLongToolsThatDestroyNothingRunAsTasksAndUnknownTasksAreInvalidParams() throws Exception {
        Operations ops = new Operations();
        List<LifeboatTool> tools = List.of(
                slow("slow_backup", ops, (a, c) -> new ToolResult(LongOperationsTest.BACKUP, "done"), false),
                slow("slow_restore", ops, (a, c) -> new ToolResult(LongOperationsTest.BACKUP, "done"), true),
                new GetOperationTool(ops));
        try (InProcessSession s = new InProcessSession(tools)) {
            Map<String, Object> caps = result(s.initialized);
            assertThat(map(caps.get("capabilities")).get("tasks").toString()).contains("requests");
            Map<String, Object> list = result(s.request("tools/list", Map.of()));
            Map<String, Object> support = new java.util.TreeMap<>();
            for (Object t : (List<?>) list.get("tools")) {
                Map<String, Object> tool = map(t);
                support.put((String) tool.get("name"), tool.get("execution"));
            }
            assertThat(support.get("slow_backup")).isEqualTo(Map.of("taskSupport", "optional"));
            assertThat(support.get("slow_restore")).isNull();
            assertThat(support.get("get_operation")).isNull();
            for (String tool : List.of("slow_restore", "get_operation")) {
                assertThat(error(s.request("tools/call", call(tool, Map.of()))))
                        .as(tool)
                        .containsEntry("code", -32601);
            }
            for (String method : List.of("tasks/get", "tasks/result", "tasks/cancel")) {
                assertThat(error(s.request(method, Map.of("taskId", "op-0123456789abcdef0123456789abcdef"))))
                        .as(method)
                        .containsEntry("code", -32602);
                assertThat(error(s.request(method, Map.of()))).as(method).containsEntry("code", -32602);
            }
        } finally {
            ops.close();
        }
    }

    /** What a test does with the session. */
    interface SessionCheck {
        void run(InProcessSession s) throws Exception;
    }

    /** A session of a server offering one task-capable tool, slow_backup, running {@code body}. */
    private static void withSlowBackup(ToolDispatcherTest.Body body, SessionCheck check) throws Exception {
        Operations ops = new Operations();
        try (InProcessSession s = new InProcessSession(List.of(slow("slow_backup", ops, body, false)))) {
            check.run(s);
        } finally {
            ops.close();
        }
    }

    /**
     * A backup's work that reports 50% "dumping app" and waits for {@code release}, so the test decides
     * when it ends; then {@code atTheEnd} runs and the backup is created.
     */
    private static ToolDispatcherTest.Body halfwayUntil(CountDownLatch release, Consumer<ToolContext> atTheEnd) {
        return (a, c) -> {
            c.operation().progress().report(50, 100, "dumping app");
            LongOperationsTest.await(release);
            atTheEnd.accept(c);
            return new ToolResult(LongOperationsTest.BACKUP, "Created backup");
        };
    }

    private static Map<String, Object> call(String tool, Map<String, Object> arguments) {
        return Map.of("name", tool, "arguments", arguments, "task", TASK);
    }

    /** A task-augmented call carrying a progress token in {@code _meta}. */
    private static Map<String, Object> call(String tool, Map<String, Object> arguments, Object progressToken) {
        return Map.of(
                "name", tool, "arguments", arguments, "task", TASK, "_meta", Map.of("progressToken", progressToken));
    }

    /** Makes the task-augmented {@code call} (tools/call) and returns the id of the task it created. */
    private static String startTask(InProcessSession s, Map<String, Object> call) {
        return (String) map(result(s.request("tools/call", call)).get("task")).get("taskId");
    }

    /** Waits (10 s at the most) until the session heard {@code count} progress notifications for {@code token}. */
    private static void awaitProgress(InProcessSession s, Object token, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (progressOf(s, token).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** The progress notifications the session heard for {@code token}, in order. */
    private static List<Map<String, Object>> progressOf(InProcessSession s, Object token) {
        return s.notifications.stream()
                .filter(n -> "notifications/progress".equals(n.get("method")))
                .map(n -> map(n.get("params")))
                .filter(p -> token.equals(p.get("progressToken")))
                .toList();
    }

    /** tasks/get until its statusMessage mentions {@code text}. */
    private static Map<String, Object> awaitMessage(InProcessSession s, String id, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, Object> t;
        do {
            t = result(s.request("tasks/get", Map.of("taskId", id)));
            if (String.valueOf(t.get("statusMessage")).contains(text)) {
                return t;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return t;
    }

    private static Map<String, Object> result(Map<String, Object> reply) {
        assertThat(reply).as(reply.toString()).containsKey("result");
        return map(reply.get("result"));
    }

    private static Map<String, Object> error(Map<String, Object> reply) {
        assertThat(reply).as(reply.toString()).containsKey("error");
        return map(reply.get("error"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
