package dev.lifeboat.mcp;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.mcp.auth.CallerInfo;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.operation.MonotonicProgress;
import dev.lifeboat.mcp.operation.Operation;
import dev.lifeboat.mcp.operation.Operations;
import dev.lifeboat.mcp.operation.ProgressRelay;
import dev.lifeboat.mcp.tool.LifeboatTool;
import dev.lifeboat.mcp.tool.LongRunningTool;
import dev.lifeboat.mcp.transport.TaskRequests;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP tasks utility (2025-11-25, experimental) over Lifeboat's operations: a task is an operation
 * started by a {@code tools/call} that carried {@code params.task}, and its id is the operation id, so
 * {@code get_operation} and {@code cancel_operation} see it too. Tasks are the caller's own, as
 * operations are; they are kept as operations are (an hour after they finish, whatever {@code ttl} the
 * client asked for), which is the {@code ttl} a finished task reports; a working one reports none. Only long tools that change nothing they cannot give
 * back run as tasks: a destructive call needs its plan confirmed while a request is open. A call that
 * carried a progress token hears the task's progress on it until the task ends or is cancelled (the
 * token "remains valid throughout the task lifetime").
 */
final class ToolTasks implements TaskRequests {
    /** How often a client should ask: progress moves in seconds, a backup takes minutes. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RELATED_TASK = "io.modelcontextprotocol/related-task";

    private final Map<String, LongRunningTool> tools;
    private final Operations operations;
    private final ToolDispatcher dispatcher;

    private ToolTasks(Map<String, LongRunningTool> tools, Operations operations, ToolDispatcher dispatcher) {
        this.tools = Map.copyOf(tools);
        this.operations = operations;
        this.dispatcher = dispatcher;
    }

    /** The tasks of these tools, or null when none of them can run as one. */
    static ToolTasks of(List<LifeboatTool> offered, ToolDispatcher dispatcher) {
        Map<String, LongRunningTool> tools = new LinkedHashMap<>();
        Operations operations = null;
        for (LifeboatTool t : offered) {
            if (t instanceof LongRunningTool long_ && !destructive(t.definition())) {
                tools.put(t.definition().name(), long_);
                operations = long_.operations();
            }
        }
        return tools.isEmpty() ? null : new ToolTasks(tools, operations, dispatcher);
    }

    private static boolean destructive(McpSchema.Tool t) {
        return t.annotations() == null || !Boolean.FALSE.equals(t.annotations().destructiveHint());
    }

    @Override
    public Set<String> tools() {
        return new TreeSet<>(tools.keySet());
    }

    @Override
    public Map<String, Object> answer(String method, JsonNode params, CallerInfo caller, Notices notices)
            throws Refusal {
        return switch (method) {
            case "tools/call" -> create(params, caller, notices);
            case "tasks/get" -> task(find(params, caller));
            case "tasks/result" -> result(find(params, caller));
            case "tasks/list" -> list(caller);
            case "tasks/cancel" -> cancel(find(params, caller), caller);
            default -> throw new Refusal(McpSchema.ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + method);
        };
    }

    private Map<String, Object> create(JsonNode params, CallerInfo caller, Notices notices) throws Refusal {
        String name = params.path("name").isString() ? params.path("name").asString() : null;
        LongRunningTool tool = name == null ? null : tools.get(name);
        if (tool == null) {
            // the spec's answer to a task for a tool whose execution.taskSupport does not allow one
            throw new Refusal(
                    McpSchema.ErrorCodes.METHOD_NOT_FOUND,
                    "tool " + name + " does not run as a task (only " + String.join(", ", new TreeSet<>(tools.keySet()))
                            + " do); call it without 'task'");
        }
        Map<String, Object> args = arguments(params.get("arguments"));
        Scope scope;
        try {
            scope = tool.scope(args);
        } catch (RuntimeException e) {
            scope = tool.scope(); // arguments the call will refuse, in the task's result
        }
        Operation op;
        try {
            Object token = progressToken(params);
            op = operations.start(caller.subject(), name, scope, o -> {
                if (token == null) {
                    return dispatcher.callAsTask(tool, args, caller, o);
                }
                // the call's progress token serves the task until it ends or a cancel ends it: no report
                // after its terminal status (the relay is closed first)
                try (ProgressRelay relay = ClientNotices.relay((progress, total, message) ->
                                notices.send("notifications/progress", progress(token, progress, total, message)));
                        Operation.Subscription listening = o.listen(relay);
                        CancelSignal.Registration cancelled = o.cancelSignal().onCancel(relay::close)) {
                    return dispatcher.callAsTask(tool, args, caller, o);
                }
            });
        } catch (dev.lifeboat.core.base.LifeboatException e) {
            throw new Refusal(McpSchema.ErrorCodes.INVALID_REQUEST, e.getMessage() + "; " + e.hint());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", task(op));
        out.put(
                "_meta",
                Map.of(
                        "io.modelcontextprotocol/model-immediate-response",
                        name + " runs as task " + op.id() + "; its result comes when it ends."));
        return out;
    }

    /** {@code params._meta.progressToken} (a string or an integer), or null. */
    private static Object progressToken(JsonNode params) {
        JsonNode token = params.path("_meta").path("progressToken");
        if (token.isString()) {
            return token.asString();
        }
        return token.isIntegralNumber() ? token.numberValue() : null;
    }

    private static Map<String, Object> progress(Object token, double progress, Double total, String message) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("progressToken", token);
        p.put("progress", progress);
        if (total != null) {
            p.put("total", total);
        }
        if (message != null) {
            p.put("message", message);
        }
        return p;
    }

    private Operation find(JsonNode params, CallerInfo caller) throws Refusal {
        String id = params != null && params.path("taskId").isString()
                ? params.path("taskId").asString()
                : null;
        if (id == null) {
            throw new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: taskId (a string) is required");
        }
        return operations
                .find(caller.subject(), id)
                .orElseThrow(() -> new Refusal(
                        McpSchema.ErrorCodes.INVALID_PARAMS,
                        "Failed to retrieve task: no task " + id + " of this caller (tasks are kept "
                                + Operations.KEEP.toMinutes() + " minutes after they end)"));
    }

    /** The spec's Task for an operation: a cancel asked for is final, whatever the work still does. */
    static Map<String, Object> task(Operation op) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("taskId", op.id());
        t.put("status", status(op));
        String message = statusMessage(op);
        if (message != null) {
            t.put("statusMessage", message);
        }
        t.put("createdAt", op.startedAt().toString());
        Instant updated = op.finishedAt() != null ? op.finishedAt() : op.startedAt();
        t.put("lastUpdatedAt", updated.toString());
        // from creation, as the spec counts it: a running task is never dropped (null: no limit yet), a
        // finished one is kept for Operations.KEEP after it finished
        t.put(
                "ttl",
                op.finishedAt() == null
                        ? null
                        : java.time.Duration.between(
                                        op.startedAt(), op.finishedAt().plus(Operations.KEEP))
                                .toMillis());
        t.put("pollInterval", POLL_INTERVAL.toMillis());
        return t;
    }

    private static String status(Operation op) {
        if (op.cancelRequested()) {
            return "cancelled";
        }
        return switch (op.state()) {
            case RUNNING -> "working";
            case SUCCEEDED -> "completed";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }

    private static String statusMessage(Operation op) {
        Map<String, Object> error = Operation.error(op.result());
        if (error != null) {
            return error.get("code") + ": " + error.get("message");
        }
        MonotonicProgress.Report p = op.progress();
        if (op.finished() || p == null) {
            return null;
        }
        String amount =
                p.total() != null && p.total() > 0 ? Math.min(100, (int) (100 * p.progress() / p.total())) + "%" : null;
        String what = p.message();
        return amount == null ? what : what == null ? amount : amount + ", " + what;
    }

    /** What the call itself would have answered, once it has: tasks/result waits for it. */
    private static Map<String, Object> result(Operation op) {
        McpSchema.CallToolResult r = null;
        while (r == null) {
            r = op.await(Duration.ofMinutes(1));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> out =
                new LinkedHashMap<>(McpJsonDefaults.getMapper().convertValue(r, Map.class));
        Map<String, Object> meta =
                out.get("_meta") instanceof Map<?, ?> m ? new LinkedHashMap<>(castMap(m)) : new LinkedHashMap<>();
        meta.put(RELATED_TASK, Map.of("taskId", op.id()));
        out.put("_meta", meta);
        return out;
    }

    private Map<String, Object> list(CallerInfo caller) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (Operation op : operations.of(caller.subject())) {
            tasks.add(task(op));
        }
        return Map.of("tasks", tasks);
    }

    private static Map<String, Object> cancel(Operation op, CallerInfo caller) throws Refusal {
        if (op.finished() || op.cancelRequested()) {
            throw new Refusal(
                    McpSchema.ErrorCodes.INVALID_PARAMS,
                    "task " + op.id() + " has already ended (" + status(op)
                            + "); only a working task can be cancelled");
        }
        if (!caller.has(op.scope())) {
            throw new Refusal(
                    McpSchema.ErrorCodes.INVALID_PARAMS,
                    "cancelling task " + op.id() + " needs the scope "
                            + op.scope().id() + ", which this token lacks");
        }
        op.cancel();
        return task(op);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> arguments(JsonNode args) {
        return args != null && args.isObject() ? JSON.convertValue(args, Map.class) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
