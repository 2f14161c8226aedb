package dev.lifeboat.core.store;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.config.StoreConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one configured store (its config entry's keys besides {@code uri}, and the URI's
 * query parameters), read by an adapter. Every problem is collected and reported at once by
 * {@link #finish}, each naming the setting ({@code stores.offsite.part_size}); a key no reader asked
 * for is an unknown setting.
 */
public final class StoreOptions {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String storeName;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> read = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();

    public StoreOptions(StoreConfig config) {
        this.storeName = config.name();
        values.putAll(config.uri().options());
        config.options().forEach((k, v) -> {
            String fromUri = config.uri().options().get(k);
            if (fromUri != null && !fromUri.equals(v)) {
                problems.add(setting(k) + ": given both in the URI ('" + fromUri + "') and as a setting ('" + v
                        + "'); keep one");
            }
            values.put(k, v);
        });
    }

    /** The name a message uses for a setting: {@code stores.<name>.<key>}. */
    public String setting(String key) {
        return "stores." + storeName + "." + key;
    }

    public String storeName() {
        return storeName;
    }

    /** The trimmed value, or null when it is absent or blank. */
    public String string(String key) {
        read.add(key);
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String string(String key, String fallback) {
        String v = string(key);
        return v == null ? fallback : v;
    }

    /** One of {@code allowed} (case-insensitive, returned as listed), or {@code fallback} when absent. */
    public String choice(String key, String fallback, List<String> allowed) {
        String v = string(key);
        if (v == null) {
            return fallback;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        return problem(key, "'" + v + "' is not one of " + String.join(", ", allowed), fallback);
    }

    public boolean bool(String key, boolean fallback) {
        String v = string(key);
        if (v == null) {
            return fallback;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> {
                return true;
            }
            case "false", "no", "off", "0" -> {
                return false;
            }
            default -> {
                return problem(key, "'" + v + "' is not true or false", fallback);
            }
        }
    }

    public int integer(String key, int fallback, int min, int max) {
        String v = string(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                return problem(key, n + " is outside " + min + ".." + max, fallback);
            }
            return n;
        } catch (NumberFormatException e) {
            return problem(key, "'" + v + "' is not a whole number", fallback);
        }
    }

    /**
     * A size in bytes: {@code 16MiB}, {@code 8MB}, {@code 512KiB}, {@code 1048576} (binary units
     * either way: MB and MiB both mean 2^20), within {@code min..max}.
     */
    public long size(String key, long fallback, long min, long max) {
        String v = string(key);
        if (v == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return problem(key, "'" + v + "' is not a size (e.g. 16MiB, 512KiB, 8388608)", fallback);
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return problem(key, "'" + v + "' is too large", fallback);
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        long scale = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
        };
        if (n > max / scale || n * scale < min || n * scale > max) {
            return problem(key, v + " is outside " + human(min) + ".." + human(max), fallback);
        }
        return n * scale;
    }

    /** The name of an environment variable (the setting holds the name, never the value). */
    public String envName(String key) {
        String v = string(key);
        if (v != null && !ENV_NAME.matcher(v).matches()) {
            return problem(
                    key,
                    "'" + v + "' is not an environment variable name; give the variable's name, never its value",
                    null);
        }
        return v;
    }

    /**
     * An endpoint override: an http(s) URL with a host and no credentials, or null when it is absent
     * or not one (a problem then says so).
     *
     * @param mustBe what the value must be, after it in quotes: "must be an http(s) URL such as ..."
     * @param noCredentials what to say when the URL carries credentials, or null to say {@code mustBe}
     */
    public URI httpEndpoint(String key, String mustBe, String noCredentials) {
        String v = string(key);
        if (v == null) {
            return null;
        }
        try {
            URI uri = URI.create(v);
            if (uri.getScheme() == null
                    || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                return problem(key, "'" + v + "' " + mustBe, null);
            }
            if (uri.getRawUserInfo() != null) {
                return problem(key, noCredentials == null ? "'" + v + "' " + mustBe : noCredentials, null);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            return problem(key, "'" + v + "' is not a URL", null);
        }
    }

    /** Records a problem with a setting found by the adapter itself. */
    public void problem(String key, String what) {
        problems.add(setting(key) + ": " + what);
    }

    /** Records a problem with a setting and reads it as {@code fallback}, so one bad value shows all others. */
    private <T> T problem(String key, String what, T fallback) {
        problem(key, what);
        return fallback;
    }

    /**
     * Reports every problem found so far, and every setting nobody read, as one CONFIG_INVALID.
     *
     * @param kind the kind of store, for the message ("an s3 store")
     */
    public void finish(String kind) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        for (String k : unknown) {
            problems.add(setting(k) + ": unknown setting for " + kind + " (known: " + String.join(", ", read) + ")");
        }
        if (!problems.isEmpty()) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    String.join("; ", problems),
                    "fix the store settings named above; docs/stores.md lists them");
        }
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KiB";
        }
        return bytes + "B";
    }
}
