package dev.lifeboat.mcp;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens of plans a person is being asked to confirm over the stateless revision, held in this
 * server between the call that made the plan and the call that carries the person's answer: the
 * client (and so the model) only ever holds the plan's id. Each is taken once; expired ones are
 * forgotten. Held in memory only: a restarted server has none, and its client is told to plan again.
 */
final class HeldTokens {
    private record Held(String token, Instant expires) {}

    private final Map<String, Held> byPlan = new ConcurrentHashMap<>();
    private final Clock clock;

    HeldTokens() {
        this(Clock.systemUTC());
    }

    HeldTokens(Clock clock) {
        this.clock = clock;
    }

    void put(String planId, String token, Instant expires) {
        Instant now = clock.instant();
        byPlan.values().removeIf(h -> h.expires().isBefore(now));
        byPlan.put(planId, new Held(token, expires));
    }

    /** The plan's token, once; null when none is held (never put, taken already, or expired). */
    String take(String planId) {
        Held h = byPlan.remove(planId);
        return h == null || h.expires().isBefore(clock.instant()) ? null : h.token();
    }

    int size() {
        return byPlan.size();
    }
}
