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
    private static final List<Shape> SHAPES = List.of(
            // password=..., PGPASSWORD=..., "password": "...", secret_access_key=...
            new Shape(
                    "(?i)((?:(?:pg)?pass(?:word|wd)?|secret(?:_access)?(?:_key)?|api[_-]?key)\"?\\s*[=:]\\s*\"?)([^\\s\"'&,;}]+)()",
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
    }

    private final Set<String> values = ConcurrentHashMap.newKeySet();

    public static Redactor global() {
        return GLOBAL;
    }

    /** Remember a secret value so it is masked wherever it appears later. Short values are ignored. */
    public void register(String value) {
        // one- and two-character "secrets" would mask half of every message
        if (value != null && value.length() >= 3) {
            values.add(value);
        }
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        // longest first so a secret that contains another is masked whole
        List<String> known = values.stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        for (String v : known) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        String lower = out.toLowerCase(java.util.Locale.ROOT);
        for (Shape shape : SHAPES) {
            if (shape.mayMatch(lower)) {
                out = shape.pattern()
                        .matcher(out)
                        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
            }
        }
        return out;
    }
}
