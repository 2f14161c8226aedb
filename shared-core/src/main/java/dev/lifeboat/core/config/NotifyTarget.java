package dev.lifeboat.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One place backup outcomes are announced ({@code notify:} in lifeboat.yaml). The URL may carry a
 * secret (a webhook token in its path): it is registered with the redactor when the configuration is
 * read, so no log, error or output shows it.
 *
 * @param name the configured name (in logs and the audit log)
 * @param kind how it is told
 * @param url where to send it (an HTTP target's), or null for email
 * @param secretEnv for a webhook, the environment variable holding the HMAC-SHA256 key that signs each
 *     body, or null to send unsigned
 * @param events which outcomes a webhook wants ({@link #EVENTS}); a ping gets every run
 * @param timeout how long one attempt may take
 * @param retries how many times a failed attempt is repeated
 * @param retryDelay the wait before the first repeat, doubled before each next one
 * @param mail for {@link Kind#EMAIL}, the SMTP server and the addresses; else null
 */
public record NotifyTarget(
        String name,
        Kind kind,
        URI url,
        String secretEnv,
        Set<String> events,
        Duration timeout,
        int retries,
        Duration retryDelay,
        Mail mail) {

    /** The events a target can ask for. */
    public static final Set<String> EVENTS = Set.of("failure", "recovery", "success", "objective_missed");

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
        PING,
        /** A Slack incoming webhook: {@code {"text": ...}}. */
        SLACK,
        /** A Discord channel webhook: {@code {"content": ...}}. */
        DISCORD,
        /** A Microsoft Teams incoming webhook (a Workflows or connector URL): an Adaptive Card message. */
        TEAMS,
        /** A mail over SMTP. */
        EMAIL;

        /** The key that names this kind in a target ({@code webhook}, {@code slack}, {@code email}, ...). */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether the target is told by one HTTP POST of a JSON body (everything but a ping and a mail). */
        public boolean postsJson() {
            return this != PING && this != EMAIL;
        }
    }

    /** How a mail target is reached. */
    public enum StartTls {
        /** Upgrade with STARTTLS or do not send (the default): nothing, the password included, goes in clear. */
        REQUIRED,
        /** Upgrade when the server offers it, else send in clear (a relay on the same host or network). */
        OPTIONAL,
        /** Never upgrade: a local relay on loopback. */
        NONE
    }

    /**
     * A mail target's server and addresses ({@code email:} in a target).
     *
     * @param host the SMTP server
     * @param port its port (default 587, the submission port)
     * @param startTls whether the connection must be, may be or is never upgraded with STARTTLS
     * @param from the sender address
     * @param to the recipients
     * @param username the SMTP login, or null to send without one
     * @param passwordEnv the variable holding the login's password (with a username)
     * @param caFile PEM certificates to trust for the server instead of the JVM's default ones, or null
     */
    public record Mail(
            String host,
            int port,
            StartTls startTls,
            String from,
            List<String> to,
            String username,
            String passwordEnv,
            Path caFile) {
        public Mail {
            to = List.copyOf(to);
        }
    }
}
