package dev.lifeboat.mcp.transport;

import dev.lifeboat.mcp.auth.CallerInfo;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A task request's JSON-RPC reply, as each transport sends it. Over Streamable HTTP a reply is the
 * POST's JSON body, except {@code tasks/result}, which waits for the work: it is an SSE stream that
 * carries a comment every {@link #HEARTBEAT} until the reply, so that neither the connection's idle
 * timeout nor a proxy ends a wait that is allowed to last as long as the work.
 */
final class TaskAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(TaskAnswers.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private TaskAnswers() {}

    /** Daemon threads for task replies that wait (tasks/result), named {@code name}. */
    static ExecutorService pool(String name) {
        return java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The reply to one task request, a result or an error; never throws for the request's own faults. */
    static String reply(
            TaskRequests tasks,
            Object id,
            String method,
            JsonNode params,
            CallerInfo caller,
            TaskRequests.Notices notices) {
        Map<String, Object> reply;
        try {
            reply = JsonRpcReply.result(id, tasks.answer(method, params, caller, notices));
        } catch (TaskRequests.Refusal r) {
            reply = JsonRpcReply.error(id, r.code(), r.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.error("{} failed unexpectedly", method, e);
            reply = JsonRpcReply.error(
                    id,
                    McpSchema.ErrorCodes.INTERNAL_ERROR,
                    "an internal error stopped " + method + "; the server's log (stderr) has the details",
                    null);
        }
        return JSON.writeValueAsString(reply);
    }

    /** Answers a task request on the POST that carried it. */
    static void overHttp(
            TaskRequests tasks,
            JsonRpcPeek.Message m,
            CallerInfo caller,
            TaskRequests.Notices notices,
            HttpServletResponse response,
            ExecutorService pool)
            throws IOException {
        if (!"tasks/result".equals(m.method())) {
            byte[] body = reply(tasks, m.id(), m.method(), m.params(), caller, notices)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        CompletableFuture<String> reply = CompletableFuture.supplyAsync(
                () -> reply(tasks, m.id(), m.method(), m.params(), caller, notices), pool);
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        PrintWriter out = response.getWriter();
        while (true) {
            try {
                String json = reply.get(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                out.write("event: message\ndata: " + json + "\n\n");
                out.flush();
                return;
            } catch (TimeoutException e) {
                out.write(": the task is still working\n\n");
                out.flush();
                if (out.checkError()) {
                    LOG.debug("the client left a tasks/result wait; the task goes on");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a task reply is never exceptional", e);
            }
        }
    }
}
