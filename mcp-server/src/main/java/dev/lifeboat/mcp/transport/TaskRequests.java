package dev.lifeboat.mcp.transport;

import dev.lifeboat.mcp.auth.CallerInfo;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The requests of the MCP tasks utility (revision 2025-11-25, experimental) that the SDK's server does
 * not know: a {@code tools/call} carrying {@code params.task}, and {@code tasks/get}, {@code tasks/result},
 * {@code tasks/list}, {@code tasks/cancel}. The transports hand such a request here instead of to the SDK
 * (which would answer "method not found", or run the call and drop its {@code task}); the server's
 * assembly supplies the answers. Declared here, implemented above, so that the transports do not depend
 * on the package that runs tools.
 */
public interface TaskRequests {
    /** The methods of the utility, besides a task-augmented {@code tools/call}. */
    java.util.Set<String> METHODS = java.util.Set.of("tasks/get", "tasks/result", "tasks/list", "tasks/cancel");

    /** Whether a request with this method and params is one for {@link #answer}. */
    static boolean isTaskRequest(String method, JsonNode params) {
        if (method == null) {
            return false;
        }
        if (METHODS.contains(method)) {
            return true;
        }
        return "tools/call".equals(method) && params != null && params.isObject() && params.has("task");
    }

    /**
     * The JSON-RPC result of the request (a {@code CreateTaskResult}, a task, a task list, or for
     * {@code tasks/result} the call's own result, which it waits for). A task created with a progress
     * token reports its progress through {@code notices} until it ends.
     *
     * @throws Refusal for a JSON-RPC error answer: an unknown task or a tool that cannot run as one
     */
    Map<String, Object> answer(String method, JsonNode params, CallerInfo caller, Notices notices) throws Refusal;

    /**
     * How a task's notifications reach the client that created it once the call that created it has been
     * answered: over stdio a line on stdout, over Streamable HTTP the session's GET stream (nothing when
     * the client opened none, as the transport allows). A task-augmented call's progress token "remains
     * valid throughout the task lifetime" (2025-11-25, tasks, Task Progress Notifications).
     */
    @FunctionalInterface
    interface Notices {
        /** For a client that cannot hear notifications after its call was answered. */
        Notices NONE = (method, params) -> {};

        /** Sends a JSON-RPC notification; never throws (a client that went away must not fail the work). */
        void send(String method, Map<String, Object> params);
    }

    /** The tools that can run as tasks ({@code execution.taskSupport: "optional"} in tools/list). */
    java.util.Set<String> tools();

    /** A JSON-RPC error answer, with the spec's code for it. */
    final class Refusal extends Exception {
        private final int code;

        public Refusal(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
