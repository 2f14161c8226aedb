package dev.lifeboat.mcp.tool;

import static dev.lifeboat.mcp.tool.Schema.*;

import dev.lifeboat.mcp.operation.MonotonicProgress;
import dev.lifeboat.mcp.operation.Operation;
import dev.lifeboat.mcp.operation.OperationState;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** An operation as tools show it, and its schema. */
final class OperationViews {
    static final String ID_PATTERN = "^op-[0-9a-f]{32}$";

    private OperationViews() {}

    static Map<String, Object> schema() {
        return object(
                props(
                        "operation_id", pattern("Pass it to get_operation or cancel_operation.", ID_PATTERN),
                        "tool", string("The tool whose call started it, e.g. create_backup."),
                        "state",
                                enumOf(
                                        "'running', or how it finished: 'succeeded', 'failed', 'cancelled'.",
                                        Arrays.stream(OperationState.values())
                                                .map(OperationState::id)
                                                .toList()),
                        "started_at", string("ISO-8601 UTC."),
                        "finished_at", string("ISO-8601 UTC; absent while running."),
                        "duration_millis", integer(null),
                        "progress",
                                object(props(
                                        "done",
                                                number("Units done so far (bytes, or tables while comparing);"
                                                        + " only ever increases."),
                                        "total", number("The total in the same units, when known."),
                                        "message", string("What is happening."))),
                        "cancel_requested", bool("cancel_operation was called for it."),
                        "failure",
                                object(
                                        props(
                                                "code", string(null),
                                                "message", string(null),
                                                "hint", string(null)),
                                        "code",
                                        "message")),
                "operation_id",
                "tool",
                "state");
    }

    static Map<String, Object> view(Operation op) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("operation_id", op.id());
        out.put("tool", op.tool());
        out.put("state", op.state().id());
        out.put("started_at", op.startedAt().toString());
        if (op.finishedAt() != null) {
            out.put("finished_at", op.finishedAt().toString());
            out.put(
                    "duration_millis",
                    Duration.between(op.startedAt(), op.finishedAt()).toMillis());
        }
        MonotonicProgress.Report p = op.progress();
        if (p != null) {
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("done", p.progress());
            if (p.total() != null) {
                progress.put("total", p.total());
            }
            if (p.message() != null) {
                progress.put("message", Views.redact(p.message()));
            }
            out.put("progress", progress);
        }
        out.put("cancel_requested", op.cancelRequested());
        Map<String, Object> error = Operation.error(op.result());
        if (error != null) {
            out.put("failure", error);
        }
        return out;
    }

    /** ", 42% (dumping app)" or "" before any progress. */
    static String progressText(Operation op) {
        MonotonicProgress.Report p = op.progress();
        if (p == null) {
            return "";
        }
        String amount = p.total() != null && p.total() > 0
                ? Math.min(100, (int) (100 * p.progress() / p.total())) + "%"
                : Views.size((long) p.progress()) + " so far";
        return " (" + amount + (p.message() == null ? "" : ", " + p.message()) + ")";
    }
}
