package dev.lifeboat.mcp.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP sessions the HTTP server holds and whose they are, with their caps: at most {@code
 * perSubject} for one token's subject and {@code total} in all, Streamable HTTP and SSE together. A
 * place is reserved when an {@code initialize} (or an SSE connection) is let through, so that
 * concurrent ones cannot overshoot, and becomes a session when the SDK names it.
 *
 * <p>Streamable HTTP sessions idle for the idle timeout (no request, and no open stream: no call in
 * progress, no GET stream) end: they leave this registry, which then answers 404 for their id, and the
 * SDK session is closed gracefully. The SDK's own sweeper ({@code sessionSweepInterval}, set to the
 * same timeout) then drops it from the SDK's session map, which only the SDK can reach. An SSE session
 * lasts as long as its stream.
 */
final class SessionRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    private final int maxTotal;
    private final int maxPerSubject;
    private final long idleNanos;
    private final LongSupplier nanoTime;

    /** Streamable HTTP sessions by id; guarded by {@code this}, as are the counts. */
    private final Map<String, Entry> sessions = new HashMap<>();

    private final Map<String, Integer> heldBySubject = new HashMap<>();
    private int held;

    /** Legacy SSE sessions by id (known once the SDK wrote it into the stream), and the credential that opened each. */
    private final Map<String, String> sseHolders = new ConcurrentHashMap<>();
    /** The SSE sessions whose client sent notifications/initialized: the SDK answers nothing before. */
    private final java.util.Set<String> sseInitialized = ConcurrentHashMap.newKeySet();

    /** What the SDK made of each session: whether it has an open stream, and how to close it. */
    private final Map<String, SdkSession> sdk = new ConcurrentHashMap<>();

    private ScheduledExecutorService sweeper;

    private static final class Entry {
        final String subject;
        final String holder;
        long lastSeen;

        Entry(String subject, String holder, long lastSeen) {
            this.subject = subject;
            this.holder = holder;
            this.lastSeen = lastSeen;
        }
    }

    private record SdkSession(BooleanSupplier busy, Runnable close, long created) {}

    SessionRegistry(int maxTotal, int maxPerSubject, Duration idleTimeout, LongSupplier nanoTime) {
        this.maxTotal = maxTotal;
        this.maxPerSubject = maxPerSubject;
        this.idleNanos = idleTimeout.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Starts sweeping idle sessions: every half idle timeout, at least every 30 s. */
    synchronized void start() {
        long period = Math.max(100_000_000L, Math.min(idleNanos / 2, 30_000_000_000L));
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lifeboat-mcp-session-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Reserves a place for a new session of {@code subject}, made with the credential {@code holder}.
     *
     * @throws HttpRejection 429 when the subject holds its maximum, 503 when the server does
     */
    synchronized Admission admit(String subject, String holder) throws HttpRejection {
        long retry = Math.max(1, Math.min(idleNanos / 1_000_000_000L, 60));
        if (heldBySubject.getOrDefault(subject, 0) >= maxPerSubject) {
            throw new HttpRejection(
                    429,
                    "too_many_sessions",
                    "this token already holds " + maxPerSubject + " MCP sessions (mcp.max_sessions_per_token):"
                            + " end unused ones (an MCP client does, with DELETE /mcp, when it closes) or wait"
                            + " until idle ones end after " + describe(idleNanos) + " (mcp.session_idle_timeout)",
                    null,
                    retry);
        }
        if (held >= maxTotal) {
            throw new HttpRejection(
                    503,
                    "too_many_sessions",
                    "the server holds its maximum of " + maxTotal + " MCP sessions (mcp.max_sessions);"
                            + " try again when idle ones have ended",
                    null,
                    retry);
        }
        heldBySubject.merge(subject, 1, Integer::sum);
        held++;
        return new Admission(subject, holder);
    }

    /** A reserved place: {@link #bind} makes it a session, {@link #release} gives it back. */
    final class Admission {
        private final String subject;
        private final String holder;
        private boolean settled;

        private Admission(String subject, String holder) {
            this.subject = subject;
            this.holder = holder;
        }

        /** The SDK named the session: from now on requests with this id are let through. */
        void bind(String sessionId) {
            synchronized (SessionRegistry.this) {
                if (settled || sessionId == null) {
                    return;
                }
                settled = true;
                Entry previous = sessions.put(sessionId, new Entry(subject, holder, nanoTime.getAsLong()));
                if (previous != null) {
                    forget(previous.subject); // an id the SDK reused: count it once
                }
            }
        }

        /** Gives the place back unless it became a session. */
        void release() {
            synchronized (SessionRegistry.this) {
                if (!settled) {
                    settled = true;
                    forget(subject);
                }
            }
        }
    }

    /** Records the SDK's session when the SDK makes it (before the id reaches the client). */
    void created(String sessionId, BooleanSupplier busy, Runnable close) {
        sdk.put(sessionId, new SdkSession(busy, close, nanoTime.getAsLong()));
    }

    /**
     * A request for {@code sessionId} arrived with the credential {@code holder}.
     *
     * @return false when the session is not (or no longer) held here, or was made with another
     *     credential (which then does not keep it alive either)
     */
    synchronized boolean touch(String sessionId, String holder) {
        Entry e = sessions.get(sessionId);
        if (e == null || !e.holder.equals(holder)) {
            return false;
        }
        e.lastSeen = nanoTime.getAsLong();
        return true;
    }

    /** The SDK named an SSE session for a stream opened with the credential {@code holder}. */
    void sseOpened(String sessionId, String holder) {
        sseHolders.put(sessionId, holder);
    }

    /** Whether a message for SSE session {@code sessionId} may come with the credential {@code holder}. */
    boolean sseHeldBy(String sessionId, String holder) {
        return holder.equals(sseHolders.get(sessionId));
    }

    /** The SSE session's client sent notifications/initialized. */
    void sseInitialized(String sessionId) {
        if (sseHolders.containsKey(sessionId)) {
            sseInitialized.add(sessionId);
        }
    }

    /** Whether the SSE session's client sent notifications/initialized. */
    boolean isSseInitialized(String sessionId) {
        return sseInitialized.contains(sessionId);
    }

    /** The SSE session's stream ended. */
    void sseClosed(String sessionId) {
        sseHolders.remove(sessionId);
        sseInitialized.remove(sessionId);
    }

    /** The client ended the session (DELETE). */
    void ended(String sessionId) {
        synchronized (this) {
            Entry e = sessions.remove(sessionId);
            if (e != null) {
                forget(e.subject);
            }
        }
        sdk.remove(sessionId);
    }

    /** Sessions and reserved places held, in all. */
    synchronized int size() {
        return held;
    }

    /** Sessions and reserved places held by one subject. */
    synchronized int size(String subject) {
        return heldBySubject.getOrDefault(subject, 0);
    }

    /** Ends the Streamable HTTP sessions idle for the idle timeout; returns how many. */
    int sweep() {
        long now = nanoTime.getAsLong();
        List<Runnable> toClose = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<String, Entry>> it = sessions.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Entry> e = it.next();
                SdkSession s = sdk.get(e.getKey());
                if (s != null && s.busy().getAsBoolean()) {
                    e.getValue().lastSeen = now; // a call in progress or a GET stream: not idle
                } else if (now - e.getValue().lastSeen >= idleNanos) {
                    it.remove();
                    forget(e.getValue().subject);
                    SdkSession gone = sdk.remove(e.getKey());
                    if (gone != null) {
                        toClose.add(gone.close());
                    }
                }
            }
            // sessions the SDK made that never became ours (their initialize failed, or was refused late)
            for (Iterator<Map.Entry<String, SdkSession>> it = sdk.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, SdkSession> e = it.next();
                if (!sessions.containsKey(e.getKey()) && now - e.getValue().created() >= idleNanos) {
                    it.remove();
                    toClose.add(e.getValue().close());
                }
            }
        }
        for (Runnable close : toClose) {
            try {
                close.run();
            } catch (RuntimeException ex) {
                LOG.debug("closing an idle session failed: {}", ex.getMessage());
            }
        }
        return toClose.size();
    }

    private void sweepQuietly() {
        try {
            int n = sweep();
            if (n > 0) {
                LOG.info("ended {} idle MCP session{}", n, n == 1 ? "" : "s");
            }
        } catch (RuntimeException e) {
            LOG.warn("session sweep failed: {}", e.toString());
        }
    }

    private void forget(String subject) {
        heldBySubject.computeIfPresent(subject, (k, v) -> v <= 1 ? null : v - 1);
        held--;
    }

    private static String describe(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        if (d.toSeconds() < 120) {
            return d.toSeconds() + " s";
        }
        return d.toMinutes() + " min";
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}
