package dev.lifeboat.core.config;

import dev.lifeboat.core.cron.CronExpression;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code schedules: {name: {cron, time_zone, database | directory | set, store, verify, copy_to, prune,
 * randomized_delay}}}: when to back up what. The time zone is required: a schedule that silently
 * followed the host's zone would move when the host (or its container image) changed.
 */
final class SchedulesReader {
    private static final Set<String> KEYS = Set.of(
            "cron",
            "time_zone",
            "database",
            "directory",
            "set",
            "store",
            "verify",
            "copy_to",
            "prune",
            "randomized_delay",
            "lease");
    private static final Set<String> VERIFY_LEVELS = Set.of("checksum", "archive", "restore");
    private static final Duration MAX_DELAY = Duration.ofHours(12);

    private SchedulesReader() {}

    static Map<String, ScheduleConfig> read(ConfigNode top, Map<String, StoreConfig> stores) {
        Map<String, ScheduleConfig> out = new LinkedHashMap<>();
        ConfigNode section = top.section("schedules", "must be a mapping of schedule names to {cron, time_zone, ...}");
        if (section == null) {
            return out;
        }
        // a source declared with a bad entry is reported there, not again here
        Map<ScheduleConfig.Kind, Set<String>> declared = Map.of(
                ScheduleConfig.Kind.DATABASE, top.namesUnder("databases"),
                ScheduleConfig.Kind.DIRECTORY, top.namesUnder("directories"),
                ScheduleConfig.Kind.SET, top.namesUnder("sets"));
        return section.readEntries(
                (name, value) -> schedule(section, name, value, declared, stores, top), ScheduleConfig::name);
    }

    private static ScheduleConfig schedule(
            ConfigNode section,
            String name,
            JsonNode value,
            Map<ScheduleConfig.Kind, Set<String>> declared,
            Map<String, StoreConfig> stores,
            ConfigNode top) {
        if (!section.validName(name, "schedule", false)) {
            return null;
        }
        ConfigNode node = section.entry(
                name, value, "must be a mapping with 'cron', 'time_zone' and one of 'database', 'directory', 'set'");
        if (node == null) {
            return null;
        }
        int before = node.problems().size();
        node.allowOnly(KEYS);
        ZoneId zone = zone(node);
        CronExpression cron = cron(node, zone);

        ScheduleConfig.Kind kind = null;
        String source = null;
        List<String> named = new ArrayList<>();
        for (ScheduleConfig.Kind k : ScheduleConfig.Kind.values()) {
            String v = node.string(k.key());
            if (v != null) {
                named.add(k.key());
                kind = k;
                source = v;
            }
        }
        if (named.size() != 1) {
            node.problem(
                    named.isEmpty()
                            ? "say what to back up: one of 'database', 'directory' or 'set' (a configured name)"
                            : "set only one of 'database', 'directory' and 'set' (found " + String.join(", ", named)
                                    + "); a set backs up several sources in one run");
        } else if (!declared.get(kind).contains(source)) {
            String plural = kind == ScheduleConfig.Kind.DATABASE
                    ? "databases"
                    : kind == ScheduleConfig.Kind.DIRECTORY ? "directories" : "sets";
            node.problem(
                    kind.key(),
                    "'" + source + "' is not a configured " + kind.key() + " (configured " + plural + ": "
                            + (declared.get(kind).isEmpty()
                                    ? "none"
                                    : String.join(", ", new java.util.TreeSet<>(declared.get(kind))))
                            + ")");
        }
        String store = node.string("store");
        requireStore(node, "store", store, stores, top);
        String verify = node.string("verify");
        if (verify != null && !VERIFY_LEVELS.contains(verify)) {
            node.problem("verify", "'" + verify + "' is not a verification level (checksum, archive or restore)");
        }
        List<String> copyTo = copyTo(node, stores, top, store);
        Boolean prune = flag(node, "prune");
        Duration delay = delay(node);
        Duration lease = lease(node);
        if (node.problems().size() > before) {
            return null;
        }
        return new ScheduleConfig(
                name, cron, kind, source, store, verify, copyTo, prune != null && prune, delay, lease);
    }

    private static ZoneId zone(ConfigNode node) {
        String text = node.required(
                "time_zone",
                "the IANA time zone the cron times are in, e.g. Europe/Berlin, America/New_York or UTC (never the"
                        + " host's: it moves with the machine or image)");
        if (text == null) {
            return null;
        }
        ZoneId zone = null;
        try {
            zone = "Z".equalsIgnoreCase(text) ? ZoneId.of("UTC") : ZoneId.of(text);
        } catch (DateTimeException e) {
            // reported below
        }
        // IANA names only: systemd timers and Kubernetes CronJobs take nothing else (no "+01:00")
        if (zone == null || !ZoneId.getAvailableZoneIds().contains(zone.getId())) {
            node.problem(
                    "time_zone",
                    "'" + text + "' is not a time zone name; use an IANA name such as Europe/Berlin or UTC");
            return null;
        }
        return zone;
    }

    private static CronExpression cron(ConfigNode node, ZoneId zone) {
        String text = node.required(
                "cron",
                "five fields, minute hour day-of-month month day-of-week, e.g. '15 2 * * *' for 02:15 every day");
        if (text == null) {
            return null;
        }
        try {
            return CronExpression.parse(text, zone == null ? ZoneId.of("UTC") : zone);
        } catch (IllegalArgumentException e) {
            node.problem("cron", "'" + text + "' is not a cron expression: " + e.getMessage());
            return null;
        }
    }

    private static void requireStore(
            ConfigNode node, String key, String store, Map<String, StoreConfig> stores, ConfigNode top) {
        if (store != null
                && !stores.containsKey(store)
                && !top.namesUnder("stores").contains(store)) {
            node.problem(
                    key,
                    "'" + store + "' is not a configured store (configured stores: "
                            + String.join(", ", new java.util.TreeSet<>(stores.keySet())) + ")");
        }
    }

    private static List<String> copyTo(ConfigNode node, Map<String, StoreConfig> stores, ConfigNode top, String store) {
        JsonNode v = node.get("copy_to");
        if (v == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode item : v) {
                names.add(item.isContainer() ? item.toString() : item.asString().trim());
            }
        } else if (!v.isContainer()) {
            names.add(v.asString().trim());
        }
        if (names.isEmpty()) {
            node.problem("copy_to", "must be a store name or a list of store names");
            return List.of();
        }
        for (String n : names) {
            requireStore(node, "copy_to", n, stores, top);
            if (n.equals(store)) {
                node.problem("copy_to", "'" + n + "' is where the backup is written ('store'); copy to another store");
            }
        }
        if (names.stream().distinct().count() != names.size()) {
            node.problem("copy_to", "names a store twice");
        }
        return names;
    }

    private static Boolean flag(ConfigNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            node.problem(key, "'" + v.asString() + "' must be true or false");
            return null;
        }
        return v.asBoolean();
    }

    private static Duration lease(ConfigNode node) {
        return node.duration(
                "lease",
                null,
                d -> d.compareTo(Duration.ofSeconds(10)) >= 0 && d.compareTo(Duration.ofHours(24)) <= 0,
                "is not a duration from 10s to 24h (how long a dead worker's claim blocks its slot, e.g. 10m)");
    }

    private static Duration delay(ConfigNode node) {
        Duration d = node.duration(
                "randomized_delay",
                Duration.ZERO,
                x -> x.compareTo(MAX_DELAY) <= 0,
                "is not a duration up to 12h (how far a systemd timer may spread its start, e.g. 10m)");
        return d == null ? Duration.ZERO : d;
    }
}
