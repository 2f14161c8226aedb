package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.auth.InsufficientScope;
import dev.lifeboat.mcp.operation.Operation;
import dev.lifeboat.mcp.operation.Operations;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;

/**
 * Stops a running operation: its pg_dump or pg_restore ends, what it wrote is removed (a cancelled
 * backup leaves nothing in the store), a drill's scratch database is dropped. The only way to stop an
 * operation once its call has answered 'running'.
 */
public final class CancelOperationTool extends OperationTool {
    /** How long the answer waits for the work to stop and clean up. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    public CancelOperationTool(Operations operations) {
        super(operations);
    }

    @Override
    public McpSchema.Tool definition() {
        return tool(
                "cancel_operation",
                "Cancel an operation",
                "Stops a running operation (pg_dump/pg_restore ended, what it made removed), waiting up to 30 s. Only when the user wants it stopped.",
                input(props("operation_id", LongRunningTool.operationIdSchema("From 'running'.")), "operation_id"),
                output(props("operation", OperationViews.schema()), "operation"),
                // it ends work and removes what the work wrote, never anything that existed before it
                Hints.ADDITIVE_IDEMPOTENT);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String id = arguments.string("operation_id");
        if (id == null) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "'operation_id' is required",
                    "pass the operation_id of a 'running' answer; get_operation without arguments lists yours");
        }
        Operation op = find(context.operation().subject(), id);
        if (!context.scopes().contains(op.scope())) {
            throw new InsufficientScope(op.scope(), "cancel this " + op.tool() + " operation");
        }
        boolean wasRunning = !op.finished();
        if (wasRunning) {
            op.cancel();
            op.await(STOP_WAIT);
        }
        ToolResult answer = GetOperationTool.answer(op);
        String text = !wasRunning
                ? "Operation " + op.id() + " (" + op.tool() + ") had already finished ("
                        + op.state().id() + "); nothing was cancelled."
                : switch (op.state()) {
                    case CANCELLED ->
                        "Cancelled operation " + op.id() + " (" + op.tool() + "): its work was"
                                + " stopped and what it had written was removed.";
                    case RUNNING ->
                        "Cancel requested for operation " + op.id() + " (" + op.tool() + "); it is"
                                + " still stopping. Call get_operation to see it end.";
                    default ->
                        "Operation " + op.id() + " (" + op.tool() + ") finished ("
                                + op.state().id() + ") before the cancel took effect.";
                };
        return new ToolResult(Map.of("operation", answer.structured().get("operation")), text);
    }
}
