package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.operation.Operation;
import dev.lifeboat.mcp.operation.Operations;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool whose calls may outlast a client's request timeout (backup, verification, restore, copy),
 * served as an operation: the call waits up to {@code wait} seconds for the result and otherwise answers
 * {@code status: "running"} with an {@code operation_id}, while the work goes on in the server until it
 * ends or {@code cancel_operation} stops it. This wrapper adds the {@code wait} argument and the running
 * answer to the tool's schemas; the dispatcher runs the call as an operation of {@link #operations()}.
 * The wrapped tool is unchanged: it neither knows nor declares any of this.
 */
public final class LongRunningTool implements LifeboatTool {
    /** The wait when none is given: the answer comes well inside a 60 s client timeout. */
    public static final int DEFAULT_WAIT_SECONDS = 20;
    /**
     * The longest wait: below the TypeScript SDK's default 60 s request timeout, so that a request
     * always gets its answer (running or done) before a host gives up on it.
     */
    public static final int MAX_WAIT_SECONDS = 50;

    private final LifeboatTool tool;
    private final Operations operations;

    public LongRunningTool(LifeboatTool tool, Operations operations) {
        this.tool = tool;
        this.operations = operations;
    }

    /** Where its calls run. */
    public Operations operations() {
        return operations;
    }

    @Override
    public McpSchema.Tool definition() {
        McpSchema.Tool t = tool.definition();
        return McpSchema.Tool.builder()
                .name(t.name())
                .title(t.title())
                // no words added: the status 'running' and operation_id in the output schema, the server's
                // instructions and the running answer's own text say what to do with it
                .description(t.description())
                .inputSchema(withWait(t.inputSchema()))
                .outputSchema(withRunning(t.outputSchema()))
                .annotations(t.annotations())
                .meta(t.meta())
                .build();
    }

    @Override
    public Scope scope() {
        return tool.scope();
    }

    @Override
    public Scope scope(Map<String, Object> arguments) {
        return tool.scope(arguments);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        return tool.call(arguments, context);
    }

    @Override
    public String movedTo(Map<String, Object> arguments) {
        return tool.movedTo(arguments);
    }

    /** The {@code wait} argument of a call, in range. */
    public static Duration waitOf(Arguments arguments) {
        return Duration.ofSeconds(arguments.integer("wait", DEFAULT_WAIT_SECONDS, 0, MAX_WAIT_SECONDS));
    }

    /** The answer of a call whose operation still runs after its wait, in the tool's output schema. */
    public static ToolResult running(Operation op) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "running");
        out.put("operation_id", op.id());
        out.put("operation", OperationViews.view(op));
        String text = op.tool() + " is still running as operation " + op.id()
                + OperationViews.progressText(op) + ". It goes on in the server: call get_operation with"
                + " operation_id " + Json.quote(op.id()) + " (and 'wait' up to " + MAX_WAIT_SECONDS
                + " seconds) for its progress and result, or cancel_operation to stop it.";
        return new ToolResult(out, Views.redact(text));
    }

    private static Map<String, Object> withWait(Map<String, Object> input) {
        Map<String, Object> out = new LinkedHashMap<>(input);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) input.get("properties"));
        properties.put("wait", integer("Seconds (default " + DEFAULT_WAIT_SECONDS + ").", 0, MAX_WAIT_SECONDS));
        out.put("properties", properties);
        return out;
    }

    /**
     * The tool's output schema, also accepting the running answer: {@code status} gains the value
     * 'running' (or is declared with only it), {@code operation_id} and {@code operation} are declared,
     * and {@code anyOf} gains a branch requiring {@code operation_id}, so a tool whose success needs other
     * fields (verify_backup's {@code passed}) still accepts it.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withRunning(Map<String, Object> output) {
        Map<String, Object> out = new LinkedHashMap<>(output);
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) output.get("properties"));
        if (properties.get("status") instanceof Map<?, ?> s) {
            Map<String, Object> status = new LinkedHashMap<>((Map<String, Object>) s);
            if (status.get("enum") instanceof List<?> values) {
                List<Object> more = new ArrayList<>(values);
                more.add("running");
                status.put("enum", more);
                status.put(
                        "description",
                        status.getOrDefault("description", "") + " 'running': not done yet, see operation_id.");
            }
            properties.put("status", status);
        } else {
            properties.put(
                    "status",
                    enumOf("Only in the answer of a call not done yet: see operation_id.", List.of("running")));
        }
        properties.put(
                "operation_id", operationIdSchema("With status 'running': for get_operation, cancel_operation."));
        properties.put("operation", OperationViews.schema());
        out.put("properties", properties);
        List<Object> anyOf = out.get("anyOf") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        if (anyOf.isEmpty() && out.get("required") instanceof List<?> required) {
            // a schema without the error branches (none today): keep its fields required for a success
            anyOf.add(Map.of("required", required));
            out.remove("required");
        }
        if (!anyOf.isEmpty()) {
            anyOf.add(Map.of("required", List.of("operation_id")));
            out.put("anyOf", anyOf);
        }
        return out;
    }

    static Map<String, Object> operationIdSchema(String description) {
        return pattern(description, OperationViews.ID_PATTERN);
    }
}
