package dev.lifeboat.core.config;

import dev.lifeboat.core.base.FilePermissions;
import dev.lifeboat.core.base.LifeboatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One mapping of {@code lifeboat.yaml} and its key path ({@code databases.app}), read setting by
 * setting. Every read that finds a bad value reports it under the setting's full path
 * ({@code databases.app.port: '99999' is not a port number (1-65535)}), in the manner of HikariCP,
 * and carries on, so one load reports every problem at once; the section readers say only what a
 * value means, never how a list where a value belongs is worded.
 */
final class ConfigNode {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final JsonNode node;
    private final String path;
    private final ConfigProblems problems;
    private final Locations locations;

    private ConfigNode(JsonNode node, String path, ConfigProblems problems, Locations locations) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.locations = locations;
    }

    /** The document's top level, which must be a mapping. */
    static ConfigNode top(JsonNode root, ConfigProblems problems, Locations locations) {
        return new ConfigNode(root, "", problems, locations);
    }

    /** The full key path of {@code key} in this mapping: {@code databases.app.port}. */
    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** This mapping's own key path: {@code databases.app}. */
    String path() {
        return path;
    }

    ConfigProblems problems() {
        return problems;
    }

    Locations locations() {
        return locations;
    }

    /** Reports a problem with the mapping as a whole: {@code databases.app: <text>}. */
    void problem(String text) {
        problems.add(path + ": " + text);
    }

    /** Reports a problem with one setting: {@code databases.app.<key>: <text>}. */
    void problem(String key, String text) {
        problems.add(at(key) + ": " + text);
    }

    /** The value at {@code key}, or null when it is absent or null. */
    JsonNode get(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    /** Whether {@code key} has a value (not absent, not null). */
    boolean isSet(String key) {
        return get(key) != null;
    }

    /** Whether {@code key} is written at all, even as {@code key:} with no value. */
    boolean mentions(String key) {
        return node.has(key);
    }

    /** Whether {@code key} holds a mapping. */
    boolean isMapping(String key) {
        JsonNode v = node.get(key);
        return v != null && v.isObject();
    }

    /** The names declared under the mapping at {@code key}, valid or not; empty when it is no mapping. */
    Set<String> namesUnder(String key) {
        JsonNode v = node.get(key);
        return v != null && v.isObject() ? Set.copyOf(v.propertyNames()) : Set.of();
    }

    /** The settings of this mapping, in file order. */
    Set<Map.Entry<String, JsonNode>> entries() {
        return node.properties();
    }

    /**
     * Each entry of this section read by {@code read} (its name, its value), by {@code name}, in the
     * order written; an entry {@code read} refuses (null, its problems reported) is left out.
     */
    <T> LinkedHashMap<String, T> readEntries(BiFunction<String, JsonNode, T> read, Function<T, String> name) {
        LinkedHashMap<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : entries()) {
            T t = read.apply(e.getKey(), e.getValue());
            if (t != null) {
                out.put(name.apply(t), t);
            }
        }
        return out;
    }

    /**
     * Whether {@code name}, an entry of this section, is a valid {@link ConfigNames name}; reports it
     * as {@code <name>: invalid <kind> name (...)} when not.
     *
     * @param startsBackupIds whether the message should say that it becomes part of backup ids
     */
    boolean validName(String name, String kind, boolean startsBackupIds) {
        if (ConfigNames.isValid(name)) {
            return true;
        }
        problem(
                name,
                "invalid " + kind + " name (use 1-48 lower-case letters, digits, '-' or '_'"
                        + (startsBackupIds ? "; it becomes part of backup ids)" : ")"));
        return false;
    }

    /** Reports every setting not in {@code known}, naming the known ones. */
    void allowOnly(Set<String> known) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!known.contains(e.getKey())) {
                problem(e.getKey(), "unknown setting (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /**
     * The mapping at {@code key} ({@code stores:}, {@code confirm:}, {@code retention:}), or null
     * when it is absent or null; anything but a mapping is reported as {@code <key>: <mustBe>}.
     */
    ConfigNode section(String key, String mustBe) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            problem(key, mustBe);
            return null;
        }
        return new ConfigNode(v, at(key), problems, locations);
    }

    /**
     * One named entry of this section ({@code app} under {@code databases}), or null, reported as
     * {@code <name>: <mustBe>}, when it is not a mapping (a bare {@code app:} included).
     */
    ConfigNode entry(String name, JsonNode value, String mustBe) {
        if (value == null || !value.isObject()) {
            problem(name, mustBe);
            return null;
        }
        return new ConfigNode(value, at(name), problems, locations);
    }

    /**
     * One named entry of this section, as {@link #entry}, whose name must also be {@link #validName
     * valid}: null, with the problem reported, when either is not.
     */
    ConfigNode entry(String name, JsonNode value, String kind, boolean startsBackupIds, String mustBe) {
        return validName(name, kind, startsBackupIds) ? entry(name, value, mustBe) : null;
    }

    /** A single value, trimmed; null when absent, null or blank. A list or mapping is reported. */
    String string(String key) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (v.isContainer()) {
            problem(key, "must be a single value, not a list or mapping");
            return null;
        }
        String s = v.asString().trim();
        return s.isEmpty() ? null : s;
    }

    /**
     * A single value that must be set, as {@link #string}; when it is not, null, reported as
     * {@code <key>: required: <what>} (what the value is, best with an example).
     */
    String required(String key, String what) {
        String s = string(key);
        if (s == null) {
            problem(key, "required: " + what);
        }
        return s;
    }

    /** A path: {@code ~} expanded, relative to the config file's directory, normalised; null when absent. */
    Path path(String key) {
        String s = string(key);
        return s == null ? null : locations.resolve(s);
    }

    /**
     * A whole number from {@code min} to {@code max}, or null when absent; anything else is reported
     * as {@code <key>: '<value>' <notValid>}.
     */
    Integer integer(String key, int min, int max, String notValid) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            problem(key, "'" + v.asString() + "' " + notValid);
            return null;
        }
        return v.asInt();
    }

    /**
     * A single value turned into a {@code T} by {@code parse}, which returns null for a value it does
     * not accept; that is reported as {@code <key>: '<value>' <notValid>}. Null when absent.
     */
    <T> T choice(String key, Function<String, T> parse, String notValid) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        T value = parse.apply(s);
        if (value == null) {
            problem(key, "'" + s + "' " + notValid);
        }
        return value;
    }

    /**
     * A duration ({@link Durations}: 90s, 10m, 7d) that {@code valid} accepts, or {@code absent} when
     * the key is absent; null when the value is no such duration (reported: the value, then
     * {@code notValid}). A negative duration is never valid.
     */
    Duration duration(String key, Duration absent, Predicate<Duration> valid, String notValid) {
        String s = string(key);
        if (s == null) {
            return absent;
        }
        Duration d = Durations.parse(s);
        if (d == null || d.isNegative() || !valid.test(d)) {
            problem(key, "'" + s + "' " + notValid);
            return null;
        }
        return d;
    }

    /** An enum constant named by a single value, in any case; see {@link #choice}. */
    <E extends Enum<E>> E choice(String key, Class<E> type, String notValid) {
        return choice(
                key,
                s -> {
                    try {
                        return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                },
                notValid);
    }

    /** Reports {@code value} of {@code key} unless it is an environment variable's name. */
    void requireEnvName(String key, String value) {
        if (value != null && !ENV_NAME.matcher(value).matches()) {
            problem(key, "'" + value + "' is not an environment variable name");
        }
    }

    /** Reports {@code file} of {@code key} unless it exists and only its owner can read it. */
    void requireOwnerOnlyFile(String key, Path file) {
        if (file == null) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            problem(key, file + " does not exist");
            return;
        }
        try {
            FilePermissions.requireOwnerOnly(file, at(key));
        } catch (LifeboatException e) {
            problems.add(e.getMessage());
        }
    }
}
