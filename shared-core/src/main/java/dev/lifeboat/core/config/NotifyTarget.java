package dev.lifeboat.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * One place backup outcomes are announced ({@code notify:} in lifeboat.yaml). The URL may carry a
 * secret (a webhook token in its path): it is registered with the redactor when the configuration is
 * read, so no log, error or output shows it.
 *
 * @param name the configured name (in logs and the audit log)
 * @param kind how it is told
 * @param url where to send it
 * @param secretEnv for a webhook, the environment variable holding the HMAC-SHA256 key that signs each
 *     body, or null to send unsigned
 * @param events which outcomes a webhook wants ({@link #EVENTS}); a ping gets every run
 * @param timeout how long one attempt may take
 * @param retries how many times a failed attempt is repeated
 * @param retryDelay the wait before the first repeat, doubled before each next one
 */
public record NotifyTarget(
        String name,
        Kind kind,
        URI url,
        String secretEnv,
        Set<String> events,
        Duration timeout,
        int retries,
        Duration retryDelay) {

    /** The outcomes a webhook can ask for. */
    public static final Set<String> EVENTS = Set.of("failure", "recovery", "success");

    /** What a webhook gets when it names no events: what someone must act on, and the all-clear. */
    public static final Set<String> DEFAULT_EVENTS = Set.of("failure", "recovery");

    public NotifyTarget {
        events = Set.copyOf(events);
    }

    /** How a target is told. */
    public enum Kind {
        /** A JSON POST, optionally signed with HMAC-SHA256. */
        WEBHOOK,
        /** Healthchecks-style pings: {@code URL/start} when a run starts, {@code URL} on success, {@code URL/fail}. */
        PING
    }
}
