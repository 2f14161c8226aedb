package dev.lifeboat.mcp.operation;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations of one server (every transport and session of it): started by long tool calls, kept
 * in memory while they run and for {@link #KEEP} after they finish, at most {@link #MAX_FINISHED}
 * finished ones in all (the oldest go first) and {@link #MAX_RUNNING_PER_OWNER} running ones per owner.
 * An operation belongs to the subject of the caller that started it: another subject cannot find it, so
 * it can neither see nor cancel it. Nothing is written to disk: a server restart forgets them (and ends
 * their work, as it ends every request).
 */
public final class Operations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

    /** How long a finished operation's result can still be fetched. */
    public static final Duration KEEP = Duration.ofHours(1);
    /** Finished operations remembered, all owners together. */
    public static final int MAX_FINISHED = 200;
    /** Running operations one owner may have: each holds a thread and, often, a pg_dump or pg_restore. */
    public static final int MAX_RUNNING_PER_OWNER = 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lifeboat-operation-" + threads.incrementAndGet());
        t.setDaemon(true); // the server decides when to wait for them (awaitIdle), not the JVM
        return t;
    });
    private final Clock clock;

    public Operations() {
        this(Clock.systemUTC());
    }

    Operations(Clock clock) {
        this.clock = clock;
    }

    /**
     * Starts {@code work} on a thread of its own as an operation of {@code owner}. The work gets the
     * operation (its reporter and cancel signal) and must return its result rather than throw; a throw
     * is a bug and finishes the operation with INTERNAL.
     *
     * @throws LifeboatException INVALID_ARGUMENT when the owner already runs the maximum
     */
    public Operation start(String owner, String tool, Scope scope, Function<Operation, McpSchema.CallToolResult> work) {
        purge();
        long running = operations.values().stream()
                .filter(o -> o.owner().equals(owner) && !o.finished())
                .count();
        if (running >= MAX_RUNNING_PER_OWNER) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "this caller already has " + running + " operations running, the most one caller may have",
                    "wait for one to finish (get_operation with its operation_id and 'wait') or stop one"
                            + " (cancel_operation), then call again");
        }
        Operation op = new Operation(newId(), tool, owner, scope, clock.instant());
        operations.put(op.id(), op);
        workers.execute(() -> {
            McpSchema.CallToolResult r;
            try {
                r = work.apply(op);
            } catch (RuntimeException | Error e) {
                LOG.error("operation {} ({}) failed unexpectedly", op.id(), tool, e);
                Map<String, Object> error = new java.util.LinkedHashMap<>(); // the same order at every start
                error.put("code", "INTERNAL");
                error.put("message", "an internal error stopped " + tool);
                r = McpSchema.CallToolResult.builder()
                        .addTextContent("INTERNAL: an internal error stopped " + tool)
                        .structuredContent(Map.of("error", error))
                        .isError(true)
                        .build();
            }
            op.finish(r, clock.instant());
        });
        return op;
    }

    /** The owner's operation with this id; empty for an unknown id, a forgotten one, or another owner's. */
    public Optional<Operation> find(String owner, String id) {
        purge();
        Operation op = id == null ? null : operations.get(id);
        return op != null && op.owner().equals(owner) ? Optional.of(op) : Optional.empty();
    }

    /** The owner's operations, newest first. */
    public List<Operation> of(String owner) {
        purge();
        return operations.values().stream()
                .filter(o -> o.owner().equals(owner))
                .sorted(Comparator.comparing(Operation::startedAt).reversed())
                .toList();
    }

    /** Running operations, all owners. */
    public int running() {
        return (int) operations.values().stream().filter(o -> !o.finished()).count();
    }

    /**
     * Waits up to {@code limit} for every running operation to finish: a stdio client that closed its
     * end does not stop the work it started.
     *
     * @return whether none is still running
     */
    public boolean awaitIdle(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Operation op : operations.values()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || op.await(Duration.ofNanos(left)) == null) {
                return op.finished() && running() == 0;
            }
        }
        return running() == 0;
    }

    /**
     * Cancels what still runs and waits a little for it to clean up (children stopped, partial objects
     * removed): the server is going away, and work that dies with the JVM would leave litter.
     */
    @Override
    public void close() {
        List<Operation> running =
                operations.values().stream().filter(o -> !o.finished()).toList();
        for (Operation op : running) {
            LOG.warn("server stopping: cancelling operation {} ({})", op.id(), op.tool());
            op.cancel();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Operation op : running) {
            op.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        workers.shutdown();
    }

    private void purge() {
        Instant limit = clock.instant().minus(KEEP);
        operations.values().removeIf(o -> o.finished() && o.finishedAt().isBefore(limit));
        List<Operation> finished = operations.values().stream()
                .filter(Operation::finished)
                .sorted(Comparator.comparing(Operation::finishedAt))
                .toList();
        for (int i = 0; i < finished.size() - MAX_FINISHED; i++) {
            operations.remove(finished.get(i).id());
        }
    }

    /** Unguessable: an id is not a secret (the owner check guards it) but must not be enumerable either. */
    private static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "op-" + HexFormat.of().formatHex(b);
    }
}
