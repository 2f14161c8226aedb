package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.mcp.operation.Operation;
import dev.lifeboat.mcp.operation.Operations;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The progress and, once finished, the result of an operation a long call started (the caller's own
 * only), optionally waiting for it; without an id, the caller's recent operations, for a client that lost
 * the id (a request that timed out before its 'running' answer arrived).
 */
public final class GetOperationTool extends OperationTool {
    public GetOperationTool(Operations operations) {
        super(operations);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "get_operation",
                "Get an operation",
                "An operation a long call answered 'running' with: its progress, then 'result' or 'operation.failure'. Without operation_id: your recent ones.",
                input(props(
                        "operation_id", LongRunningTool.operationIdSchema("From 'running'; omit to list yours."),
                        "wait",
                                integer(
                                        "Seconds to wait for the end (default 0).",
                                        0,
                                        LongRunningTool.MAX_WAIT_SECONDS))),
                outputSchema(),
                Hints.READ_ONLY);
    }

    /** One operation (with its result once it succeeded), or without an id the list of them. */
    private static Map<String, Object> outputSchema() {
        Map<String, Object> schema = new LinkedHashMap<>(output(
                props(
                        "operation", OperationViews.schema(),
                        "result",
                                anyObject("When the operation succeeded: the structured result of the call that"
                                        + " started it, as that tool's output schema describes it."),
                        "operations",
                                array("Without operation_id: your operations, newest first.", OperationViews.schema())),
                "operation"));
        List<Object> anyOf = new java.util.ArrayList<>((List<?>) schema.get("anyOf"));
        anyOf.add(Map.of("required", List.of("operations")));
        schema.put("anyOf", anyOf);
        return schema;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String id = arguments.string("operation_id");
        String owner = context.operation().subject();
        if (id == null) {
            List<Operation> mine = operations.of(owner);
            StringBuilder text = new StringBuilder(mine.isEmpty() ? "You have no operations." : "Your operations:");
            for (Operation op : mine) {
                text.append("\n- ")
                        .append(op.id())
                        .append(" ")
                        .append(op.tool())
                        .append(": ")
                        .append(op.state().id())
                        .append(", started ")
                        .append(op.startedAt());
            }
            return new ToolResult(
                    Map.of("operations", mine.stream().map(OperationViews::view).toList()), text.toString());
        }
        Operation op = find(owner, id);
        Duration wait = Duration.ofSeconds(arguments.integer("wait", 0, 0, LongRunningTool.MAX_WAIT_SECONDS));
        if (!op.finished() && !wait.isZero()) {
            try (Operation.Subscription listening =
                    op.listen(context.operation().progress())) {
                op.await(wait);
            }
        }
        return answer(op);
    }

    /** The operation as a get_operation answer: its view, and once finished, its result or its failure. */
    static ToolResult answer(Operation op) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("operation", OperationViews.view(op));
        McpSchema.CallToolResult r = op.result();
        String head = "Operation " + op.id() + " (" + op.tool() + ") ";
        if (r == null) {
            return new ToolResult(
                    out,
                    Views.redact(head + "is running" + OperationViews.progressText(op)
                            + ". Call get_operation again (with 'wait') for the result."));
        }
        String text = r.content().stream()
                .filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text())
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
        if (Boolean.TRUE.equals(r.isError())) {
            return new ToolResult(out, head + op.state().id().toUpperCase(java.util.Locale.ROOT) + ":\n" + text);
        }
        if (r.structuredContent() instanceof Map<?, ?> m) {
            out.put("result", m);
        }
        return new ToolResult(out, head + "succeeded:\n" + text);
    }
}
