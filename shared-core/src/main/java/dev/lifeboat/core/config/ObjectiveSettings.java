package dev.lifeboat.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The objectives each entry declares, as written: sources (databases and directories share one
 * namespace) and sets (a namespace of their own). {@link LifeboatConfig#objectives} combines them.
 *
 * @param sources objectives of databases and directories by name (entries without any are absent
 *     or {@link Objectives#NONE})
 * @param sets objectives of sets by name
 */
public record ObjectiveSettings(Map<String, Objectives> sources, Map<String, Objectives> sets) {
    /** No entry declares an objective. */
    public static final ObjectiveSettings NONE = new ObjectiveSettings(Map.of(), Map.of());

    public ObjectiveSettings {
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
    }

    /** What set {@code name} declares itself. */
    public Objectives ofSet(String name) {
        return sets.getOrDefault(name, Objectives.NONE);
    }

    /** What database or directory {@code name} declares itself. */
    public Objectives ofSource(String name) {
        return sources.getOrDefault(name, Objectives.NONE);
    }
}
