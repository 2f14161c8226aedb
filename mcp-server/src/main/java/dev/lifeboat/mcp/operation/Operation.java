package dev.lifeboat.mcp.operation;

import dev.lifeboat.core.base.CancelSignal;
import dev.lifeboat.core.base.Progress;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long tool call running on the server: who started it, what it has reported so far and, once it
 * finished, its result exactly as the call would have answered (success or error). Its cancel signal is
 * its own, not the request's: the request that started it may end, time out or lose its client, and the
 * work goes on until {@link #cancel} or its end.
 */
public final class Operation {
    private final String id;
    private final String tool;
    private final String owner;
    private final Scope scope;
    private final Instant startedAt;
    private final CancelSignal cancel = new CancelSignal();
    private final MonotonicProgress track = new MonotonicProgress();
    private final List<Progress> listeners = new CopyOnWriteArrayList<>();
    private volatile Raw last;
    private final CompletableFuture<McpSchema.CallToolResult> result = new CompletableFuture<>();
    private volatile Instant finishedAt;
    private volatile boolean cancelRequested;

    Operation(String id, String tool, String owner, Scope scope, Instant startedAt) {
        this.id = id;
        this.tool = tool;
        this.owner = owner;
        this.scope = scope;
        this.startedAt = startedAt;
    }

    public String id() {
        return id;
    }

    /** The tool that was called, e.g. {@code create_backup}. */
    public String tool() {
        return tool;
    }

    /** Who may see and cancel it: the caller's subject. */
    public String owner() {
        return owner;
    }

    /** The scope its call needed; cancelling it needs the same. */
    public Scope scope() {
        return scope;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** When it finished, or null while it runs. */
    public Instant finishedAt() {
        return finishedAt;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** The signal the work runs with. */
    public CancelSignal cancelSignal() {
        return cancel;
    }

    /** Where the work reports: kept for {@link #progress()}, and passed on to every listener. */
    public Progress reporter() {
        return (done, total, message) -> {
            last = new Raw(done, total, message);
            track.next(done, total, message);
            for (Progress p : listeners) {
                p.report(done, total, message);
            }
        };
    }

    /** The latest progress, as strictly increasing as a client sees it; null before the first report. */
    public MonotonicProgress.Report progress() {
        return track.latest();
    }

    /** Passes the work's reports to {@code p} until the registration is closed (a request stops waiting). */
    public Subscription listen(Progress p) {
        listeners.add(p);
        // the work may have reported before this request listened (it starts at once): the newest
        // report reaches the listener now, so a request hears progress without waiting for the next one
        Raw r = last;
        if (r != null) {
            p.report(r.done(), r.total(), r.message());
        }
        return () -> listeners.remove(p);
    }

    /** A report as the work made it. */
    private record Raw(long done, long total, String message) {}

    /** A listener's registration; closing it stops the reports. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Stops the work: its child processes end, what it wrote is removed, it finishes CANCELLED. */
    public void cancel() {
        cancelRequested = true;
        cancel.cancel();
    }

    /** The result once finished, waiting at most {@code wait}; null while it still runs. */
    public McpSchema.CallToolResult await(Duration wait) {
        try {
            return wait.isZero() || wait.isNegative()
                    ? result.getNow(null)
                    : result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.getNow(null);
        } catch (ExecutionException e) {
            throw new IllegalStateException("an operation's result is never exceptional", e);
        }
    }

    /** The result, or null while it runs. */
    public McpSchema.CallToolResult result() {
        return result.getNow(null);
    }

    public boolean finished() {
        return result.isDone();
    }

    /** Running, or how it finished: a CANCELLED error is a cancellation, any other error a failure. */
    public OperationState state() {
        McpSchema.CallToolResult r = result.getNow(null);
        if (r == null) {
            return OperationState.RUNNING;
        }
        if (!Boolean.TRUE.equals(r.isError())) {
            return OperationState.SUCCEEDED;
        }
        return "CANCELLED".equals(errorCode(r)) ? OperationState.CANCELLED : OperationState.FAILED;
    }

    /** {@code structuredContent.error} of an error result, or null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> error(McpSchema.CallToolResult r) {
        if (r != null && r.structuredContent() instanceof Map<?, ?> m && m.get("error") instanceof Map<?, ?> e) {
            return (Map<String, Object>) e;
        }
        return null;
    }

    private static String errorCode(McpSchema.CallToolResult r) {
        Map<String, Object> e = error(r);
        return e == null ? null : String.valueOf(e.get("code"));
    }

    void finish(McpSchema.CallToolResult r, Instant at) {
        finishedAt = at;
        listeners.clear();
        result.complete(r);
    }
}
