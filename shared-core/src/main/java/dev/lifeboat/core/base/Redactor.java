package dev.lifeboat.core.base;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place text is cleaned before it is printed anywhere: log lines, exception messages, CLI
 * output, tool results. It masks the values of every {@link Secret} made in this process, and by
 * shape: passwords in key=value pairs, {@code user:pass@} in URIs, bearer tokens, signatures and age
 * secret keys.
 */
public final class Redactor {
    public static final String MASK = "****";

    private static final Redactor GLOBAL = new Redactor();

    /**
     * Shapes of secrets that we mask even when we never saw the value. Each pattern has three groups:
     * what stays before the secret, the secret, what stays after it. Each also names the lower-case
     * literals without which it cannot match: a regex scan costs tens of nanoseconds a character, and
     * most text (a 10 MB listing) holds none of them, so the scan is skipped.
     */
    /** The keys whose value is a secret: password, PGPASSWORD, passwd, secret_access_key, api_key... */
    private static final String SECRET_KEY = "(?:(?:pg)?pass(?:word|wd)?|secret(?:_access)?(?:_key)?|api[_-]?key)";

    private static final List<Shape> SHAPES = List.of(
            // password=..., PGPASSWORD=..., "password": "...", secret_access_key=...; a configuration
            // path that ends in such a key and is followed by a colon (notify.password: must be a
            // mapping) is Lifeboat naming a setting, never a value: its next word stays readable
            new Shape(
                    "(?i)((?:(?<!\\.)" + SECRET_KEY + "\"?\\s*[=:]|(?<=\\.)" + SECRET_KEY + "\"?\\s*=)\\s*\"?)"
                            + "([^\\s\"'&,;}]+)()",
                    "pass",
                    "secret",
                    "api"),
            // scheme://user:password@host
            new Shape("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]*:)([^@/\\s]+)(@)", "://"),
            // Authorization: Bearer xyz / Basic xyz / AWS4-HMAC-SHA256 ...
            new Shape("(?i)(authorization\\s*[:=]\\s*(?:bearer\\s+|basic\\s+)?)(\\S+)()", "authorization"),
            new Shape("(?i)(bearer\\s+)([A-Za-z0-9._~+/=-]{8,})()", "bearer"),
            // presigned URL signatures and credentials, and the same as headers in wire logs
            new Shape("(?i)(X-Amz-(?:Signature|Credential|Security-Token)\\s*[=:]\\s*)([^&\\s]+)()", "x-amz-"),
            // the signature inside a SigV4 Authorization header (its first word is masked above)
            new Shape("(?i)(\\bSignature=)([0-9a-f]{16,})()", "signature="),
            // age identities
            new Shape("()(AGE-SECRET-KEY-1[0-9A-Za-z]+)()", "age-secret-key-1"));

    private record Shape(Pattern pattern, List<String> triggers) {
        Shape(String regex, String... triggers) {
            this(Pattern.compile(regex), List.of(triggers));
        }

        boolean mayMatch(String lowerCase) {
            for (String t : triggers) {
                if (lowerCase.contains(t)) {
                    return true;
                }
            }
            return false;
        }

        boolean mayMatch(boolean[] found) {
            for (String t : triggers) {
                if (found[TRIGGERS.indexOf(t)]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Every shape's triggers, once each; {@link #found} answers for all of them in one pass. */
    private static final List<String> TRIGGERS =
            SHAPES.stream().flatMap(s -> s.triggers().stream()).distinct().toList();

    /** For each ASCII character, the indexes in {@link #TRIGGERS} of the triggers it starts; null for none. */
    private static final int[][] STARTING = starting();

    private final Set<String> values = ConcurrentHashMap.newKeySet();
    /** {@link #values}, longest first, re-sorted only when one is registered (not on every redact). */
    private volatile List<String> longestFirst = List.of();

    public static Redactor global() {
        return GLOBAL;
    }

    /** Remember a secret value so it is masked wherever it appears later. Short values are ignored. */
    public void register(String value) {
        // one- and two-character "secrets" would mask half of every message
        if (value != null && value.length() >= 3 && values.add(value)) {
            synchronized (values) {
                longestFirst = values.stream()
                        .sorted(Comparator.comparingInt(String::length).reversed())
                        .toList();
            }
        }
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        // longest first so a secret that contains another is masked whole
        for (String v : longestFirst) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        boolean[] found = found(out);
        String lower = found == null ? out.toLowerCase(java.util.Locale.ROOT) : null;
        for (Shape shape : SHAPES) {
            if (found == null ? shape.mayMatch(lower) : shape.mayMatch(found)) {
                out = shape.pattern()
                        .matcher(out)
                        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
            }
        }
        return out;
    }

    /**
     * Whether {@link #redact} could change {@code text}: it holds a registered secret, a trigger of a
     * shape, or a non-ASCII character (then only {@link #redact} knows). A writer that emits many
     * short strings (a listing of 10,000 backups) asks this of each and redacts only what it must,
     * instead of scanning every byte of its output.
     */
    public boolean mayChange(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (String v : longestFirst) {
            if (text.contains(v)) {
                return true;
            }
        }
        boolean[] found = found(text);
        if (found == null) {
            return true;
        }
        for (boolean f : found) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which of {@link #TRIGGERS} occur in {@code text}, ignoring case, in one pass over it; null when
     * the text holds a non-ASCII character (whose lower case may be ASCII, e.g. the Kelvin sign), for
     * which the caller lower-cases the text and searches it as before. Why not lower-case and search
     * every time: a 10,000-backup listing redacts 9 MB of JSON, and a copy plus one scan per trigger
     * cost a fifth of its run.
     */
    private static boolean[] found(String text) {
        boolean[] found = new boolean[TRIGGERS.size()];
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 128) {
                return null;
            }
            int[] candidates = STARTING[c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c];
            if (candidates == null) {
                continue;
            }
            for (int t : candidates) {
                String trigger = TRIGGERS.get(t);
                if (!found[t] && text.regionMatches(true, i, trigger, 0, trigger.length())) {
                    found[t] = true;
                }
            }
        }
        return found;
    }

    private static int[][] starting() {
        int[][] out = new int[128][];
        for (int t = 0; t < TRIGGERS.size(); t++) {
            char first = TRIGGERS.get(t).charAt(0);
            int[] before = out[first] == null ? new int[0] : out[first];
            int[] after = java.util.Arrays.copyOf(before, before.length + 1);
            after[before.length] = t;
            out[first] = after;
        }
        return out;
    }
}
