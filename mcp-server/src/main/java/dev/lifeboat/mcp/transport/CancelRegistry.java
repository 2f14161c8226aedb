package dev.lifeboat.mcp.transport;

import dev.lifeboat.core.base.CancelSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connects a {@code notifications/cancelled} to the running tool call it names. Signals are opened in
 * one place, {@link #open}, by the transport that reads the {@code tools/call} (the stdio transport,
 * the HTTP filter), before the SDK schedules the handler, so a cancel that overtakes the handler's
 * start is not lost. The handler (the dispatcher) only takes the signal ({@link #signal}) and {@link
 * #close}s it when the call ends. Keys are a session key (one per stdio process, HTTP session) and the
 * JSON-RPC request id.
 */
public final class CancelRegistry {
    private static final Duration STALE = Duration.ofHours(24);

    private final Map<String, Entry> signals = new ConcurrentHashMap<>();

    private record Entry(CancelSignal signal, Instant opened) {}

    /** A transport read this {@code tools/call}: from now on a cancel for it is kept. */
    public void open(String sessionKey, Object requestId) {
        if (requestId == null) {
            return;
        }
        purgeStale();
        signals.computeIfAbsent(key(sessionKey, requestId), k -> new Entry(new CancelSignal(), Instant.now()));
    }

    /**
     * The signal of a call, for its handler: the one its transport opened, or, for a request without
     * an id (or read by no transport of ours), one that nothing can cancel.
     */
    public CancelSignal signal(String sessionKey, Object requestId) {
        Entry e = requestId == null ? null : signals.get(key(sessionKey, requestId));
        return e == null ? new CancelSignal() : e.signal();
    }

    /** Cancels the request's operation; a cancel for an unknown or finished request is ignored. */
    public boolean cancel(String sessionKey, Object requestId) {
        if (requestId == null) {
            return false;
        }
        Entry e = signals.get(key(sessionKey, requestId));
        if (e == null) {
            return false;
        }
        e.signal().cancel();
        return true;
    }

    /** Forgets the request once its reply is on its way. */
    public void close(String sessionKey, Object requestId) {
        if (requestId != null) {
            signals.remove(key(sessionKey, requestId));
        }
    }

    int size() {
        return signals.size();
    }

    private void purgeStale() {
        Instant limit = Instant.now().minus(STALE);
        signals.values().removeIf(e -> e.opened().isBefore(limit));
    }

    /** JSON-RPC ids are strings or numbers; a number may arrive as Integer or Long, so compare text. */
    private static String key(String sessionKey, Object requestId) {
        return (sessionKey == null ? "" : sessionKey) + "\u0000" + requestId;
    }
}
