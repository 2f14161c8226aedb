package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tool call's arguments, read with the checks every tool shares. Tools take configured names
 * only: anything shaped like a connection string, a host or a password is refused before it
 * reaches the service, with a pointer to the configuration.
 */
public final class Arguments {
    private static final Pattern URI_LIKE = Pattern.compile("(?i)\\b(postgres(ql)?|jdbc:[a-z]+|s3|gs|file)://");
    private static final Pattern KEY_VALUE =
            Pattern.compile("(?i)(^|\\s)(host|hostaddr|port|dbname|user|password|passfile|sslmode|service)\\s*=");
    private static final Pattern USERINFO = Pattern.compile("[^\\s@/]+:[^\\s@/]*@[^\\s@]+");
    /** A database name on a server: what PostgreSQL accepts unquoted plus '-', no path or quote characters. */
    private static final Pattern DBNAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");

    private final Map<String, Object> values;

    public Arguments(Map<String, Object> values) {
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
        for (Map.Entry<String, Object> e : this.values.entrySet()) {
            refuseConnectionShapes(e.getKey(), e.getValue());
        }
    }

    /** A configured database or store name, or null when absent. */
    public String name(String key) {
        String v = string(key);
        if (v == null) {
            return null;
        }
        if (!BackupId.NAME.matcher(v).matches()) {
            throw invalid(
                    key,
                    "the name of a configured entry",
                    v,
                    "names are 1-48 lower-case letters, digits, '-' or '_'; call list_databases for the configured names");
        }
        return v;
    }

    public String backupId(String key) {
        String v = string(key);
        if (v == null) {
            throw missing(key, "a backup id such as app-20261122T071200Z-3f9a; call list_backups to find one");
        }
        return BackupId.parse(v).value();
    }

    /** A database name on a configured server (not a configured entry), or null. */
    public String dbname(String key) {
        String v = string(key);
        if (v != null && !DBNAME.matcher(v).matches()) {
            throw invalid(
                    key,
                    "a plain database name",
                    v,
                    "use letters, digits, '_', '$' or '-' (at most 63), starting with a letter or '_'");
        }
        return v;
    }

    /** Whether {@code key} was given a value: not null, not an empty string or array. */
    public boolean given(String key) {
        Object v = values.get(key);
        return v != null
                && !(v instanceof String s && s.isBlank())
                && !(v instanceof java.util.Collection<?> c && c.isEmpty());
    }

    /** A string, trimmed; null when absent or empty. */
    public String string(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT, "'" + key + "' must be a string", "pass it as a JSON string");
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    /** A list of non-empty strings; empty when absent. */
    public java.util.List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) {
            return java.util.List.of();
        }
        if (v instanceof java.util.List<?> list && list.stream().allMatch(x -> x instanceof String s && !s.isBlank())) {
            return list.stream().map(x -> ((String) x).trim()).toList();
        }
        throw new LifeboatException(
                ErrorCode.INVALID_ARGUMENT,
                "'" + key + "' must be an array of names",
                "pass a JSON array of strings, e.g. [\"public.accounts\"]");
    }

    public boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new LifeboatException(
                ErrorCode.INVALID_ARGUMENT, "'" + key + "' must be true or false", "pass a JSON boolean");
    }

    public int integer(String key, int fallback, int min, int max) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            long l = n.longValue();
            if (l >= min && l <= max) {
                return (int) l;
            }
        }
        throw new LifeboatException(
                ErrorCode.INVALID_ARGUMENT,
                "'" + key + "' must be a whole number from " + min + " to " + max,
                "pass a JSON number, e.g. " + Math.max(min, Math.min(max, 20)));
    }

    public Instant instant(String key) {
        String v = string(key);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(v)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException e2) {
                throw invalid(key, "an ISO-8601 time", v, "use e.g. 2026-11-22T07:00:00Z or 2026-11-22");
            }
        }
    }

    /** String-to-string tags; null or absent means none. */
    public Map<String, String> tags(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new LifeboatException(
                    ErrorCode.INVALID_ARGUMENT,
                    "'" + key + "' must be an object of string values",
                    "e.g. {\"reason\": \"before migration\"}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "tag '" + printable(String.valueOf(e.getKey())) + "' must have a string value",
                        "e.g. {\"reason\": \"before migration\"}");
            }
            out.put(String.valueOf(e.getKey()), s);
        }
        return out;
    }

    private static LifeboatException missing(String key, String what) {
        return new LifeboatException(ErrorCode.INVALID_ARGUMENT, "'" + key + "' is required", "pass " + what);
    }

    /** INVALID_ARGUMENT: {@code key}'s value {@code v} is not {@code mustBe}. */
    private static LifeboatException invalid(String key, String mustBe, String v, String hint) {
        return new LifeboatException(
                ErrorCode.INVALID_ARGUMENT, "'" + key + "' must be " + mustBe + ", got '" + printable(v) + "'", hint);
    }

    private static void refuseConnectionShapes(String key, Object value) {
        if (value instanceof String s) {
            if (looksLikeConnection(s)) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "'" + key + "' looks like a connection string; Lifeboat tools take configured names only,"
                                + " never hosts, URLs or passwords",
                        "add the database or store to lifeboat.yaml (databases: / stores:) and pass its name;"
                                + " list_databases shows the configured names");
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                refuseConnectionShapes(key + "." + e.getKey(), e.getValue());
            }
        } else if (value instanceof Iterable<?> it) {
            for (Object o : it) {
                refuseConnectionShapes(key, o);
            }
        }
    }

    static boolean looksLikeConnection(String s) {
        return URI_LIKE.matcher(s).find()
                || KEY_VALUE.matcher(s).find()
                || USERINFO.matcher(s).find();
    }

    private static String printable(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
