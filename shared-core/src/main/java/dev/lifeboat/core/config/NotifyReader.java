package dev.lifeboat.core.config;

import dev.lifeboat.core.base.Redactor;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * {@code notify: {name: {webhook | ping | slack | discord | teams: URL, or email: {...}; secret_env,
 * events, timeout, retries, retry_delay}}}: where backup outcomes are announced. Each URL's path and
 * query are registered with the redactor as they are read (a webhook's token is usually in them),
 * before anything could print them.
 */
final class NotifyReader {
    /** The keys that each name a kind of target; a target sets exactly one. */
    private static final List<String> KIND_KEYS = List.of("webhook", "ping", "slack", "discord", "teams", "email");

    private static final Set<String> KEYS = Set.of(
            "webhook",
            "ping",
            "slack",
            "discord",
            "teams",
            "email",
            "secret_env",
            "events",
            "timeout",
            "retries",
            "retry_delay");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int DEFAULT_RETRIES = 2;
    private static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);

    private NotifyReader() {}

    static List<NotifyTarget> read(ConfigNode top) {
        List<NotifyTarget> out = new ArrayList<>();
        ConfigNode section = top.section(
                "notify", "must be a mapping of names to targets ({webhook: URL}, {slack: URL}, {email: {...}}, ...)");
        if (section == null) {
            return out;
        }
        out.addAll(section.readEntries((name, value) -> target(section, name, value), NotifyTarget::name)
                .values());
        return out;
    }

    private static NotifyTarget target(ConfigNode section, String name, JsonNode value) {
        ConfigNode node =
                section.entry(name, value, "notification target", false, "must be a mapping with one of " + KIND_KEYS);
        if (node == null) {
            return null;
        }
        int before = node.problems().size();
        node.allowOnly(KEYS);
        List<String> set = KIND_KEYS.stream().filter(node::isSet).toList();
        if (set.size() != 1) {
            node.problem("set exactly one of 'webhook' (a JSON POST), 'ping' (healthchecks-style URLs), 'slack',"
                    + " 'discord', 'teams' (their incoming webhooks' URLs) and 'email' (an SMTP server)"
                    + (set.isEmpty() ? "" : "; found " + set));
            return null;
        }
        String key = set.get(0);
        NotifyTarget.Kind kind = NotifyTarget.Kind.valueOf(key.toUpperCase(java.util.Locale.ROOT));
        URI url = null;
        NotifyTarget.Mail mail = null;
        if (kind == NotifyTarget.Kind.EMAIL) {
            mail = NotifyMailReader.read(node);
        } else {
            url = url(node, key, node.string(key));
        }
        String secretEnv = node.string("secret_env");
        node.requireEnvName("secret_env", secretEnv);
        if (secretEnv != null && kind != NotifyTarget.Kind.WEBHOOK) {
            node.problem(
                    "secret_env", "only a webhook's body is signed; " + key + " has its own way to trust the sender");
        }
        Set<String> events = events(node, kind);
        Duration timeout = duration(node, "timeout", DEFAULT_TIMEOUT, "how long one attempt may take, e.g. 10s");
        Duration retryDelay =
                duration(node, "retry_delay", DEFAULT_RETRY_DELAY, "the wait before the first retry, e.g. 1s");
        Integer retries = node.integer("retries", 0, 10, "is not a number of retries (0-10)");
        if (node.problems().size() > before) {
            return null;
        }
        return new NotifyTarget(
                name,
                kind,
                url,
                secretEnv,
                events,
                timeout,
                retries == null ? DEFAULT_RETRIES : retries,
                retryDelay,
                mail);
    }

    private static URI url(ConfigNode node, String key, String text) {
        if (text == null) {
            node.problem(key, "must be the target's URL");
            return null;
        }
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            // the text may hold a token: name the setting, not the value
            node.problem(key, "is not a URL");
            return null;
        }
        if (!"https".equalsIgnoreCase(url.getScheme()) && !"http".equalsIgnoreCase(url.getScheme())
                || url.getHost() == null) {
            node.problem(key, "must be an http:// or https:// URL with a host");
            return null;
        }
        // a webhook's token lives in its path or query: mask them wherever the URL is printed
        String secret = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        if (secret.length() > 1) {
            Redactor.global().register(secret);
        }
        if (url.getRawUserInfo() != null) {
            Redactor.global().register(url.getRawUserInfo());
        }
        return url;
    }

    private static Set<String> events(ConfigNode node, NotifyTarget.Kind kind) {
        JsonNode list = node.get("events");
        if (list == null) {
            return NotifyTarget.DEFAULT_EVENTS;
        }
        if (kind == NotifyTarget.Kind.PING) {
            node.problem("events", "a ping gets every run (start, success, fail); events are for the other kinds");
            return Set.of();
        }
        if (!list.isArray() || list.isEmpty()) {
            node.problem("events", "must be a list of " + new TreeSet<>(NotifyTarget.EVENTS));
            return Set.of();
        }
        Set<String> events = new LinkedHashSet<>();
        for (JsonNode v : list) {
            String e = v.isContainer() ? v.toString() : v.asString().trim();
            if (!NotifyTarget.EVENTS.contains(e)) {
                node.problem("events", "'" + e + "' is not one of " + new TreeSet<>(NotifyTarget.EVENTS));
            }
            events.add(e);
        }
        return events;
    }

    private static Duration duration(ConfigNode node, String key, Duration dflt, String use) {
        Duration d = node.duration(
                key,
                dflt,
                x -> !x.isZero() && x.compareTo(Duration.ofMinutes(5)) <= 0,
                "is not a duration up to 5m (" + use + ")");
        return d == null ? dflt : d;
    }
}
