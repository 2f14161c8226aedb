package dev.lifeboat.core.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code sets: {name: {members: [db, dir...], rpo: 26h..., globals: roles}}}; members must be declared
 * databases or directories. A set's objectives bind each of its members (see {@link
 * LifeboatConfig#objectives}); its {@code globals} each of its database members (see {@link
 * #keepRoles}).
 */
final class SetsReader {
    private SetsReader() {}

    /** The configured sets by name; a set with any bad member is left out (and reported). */
    static Map<String, SetConfig> read(ConfigNode top, Map<String, Objectives> objectives) {
        Map<String, SetConfig> sets = new LinkedHashMap<>();
        ConfigNode section = top.section("sets", "must be a mapping of set names to {members: [...]}");
        if (section == null) {
            return sets;
        }
        // a member declared with a bad entry is reported there, not again here
        Set<String> declared = new HashSet<>(top.namesUnder("databases"));
        declared.addAll(top.namesUnder("directories"));
        return section.readEntries((name, value) -> set(section, name, value, declared, objectives), SetConfig::name);
    }

    /**
     * {@code databases} with {@code globals: roles} set on every database member of a set that says
     * it: the set's setting is shorthand for each member's own.
     */
    static Map<String, DatabaseConfig> keepRoles(Map<String, DatabaseConfig> databases, Map<String, SetConfig> sets) {
        Map<String, DatabaseConfig> out = new LinkedHashMap<>(databases);
        for (SetConfig set : sets.values()) {
            if (set.keepRoles()) {
                set.members().stream()
                        .filter(out::containsKey)
                        .forEach(member -> out.put(member, out.get(member).keepingRoles()));
            }
        }
        return out;
    }

    private static SetConfig set(
            ConfigNode section, String name, JsonNode value, Set<String> declared, Map<String, Objectives> objectives) {
        ConfigNode node = section.entry(name, value, "set", false, "must be a mapping with 'members'");
        if (node == null) {
            return null;
        }
        node.allowOnly(Set.of("members", "rpo", "drill_every", "copies", "globals"));
        boolean keepRoles = DatabasesReader.globals(node);
        int before = node.problems().size();
        Objectives promised = SharedSettings.objectives(node);
        JsonNode m = node.get("members");
        if (m == null || !m.isArray() || m.isEmpty()) {
            node.problem("members", "required, a list of configured database or directory names");
            return null;
        }
        List<String> members = new ArrayList<>();
        boolean ok = true;
        for (JsonNode v : m) {
            String member = v.isContainer() ? v.toString() : v.asString().trim();
            if (!declared.contains(member)) {
                node.problem("members", "'" + member + "' is not a configured database or directory");
                ok = false;
            } else if (members.contains(member)) {
                node.problem("members", "'" + member + "' is listed twice");
                ok = false;
            } else {
                members.add(member);
            }
        }
        if (!ok || node.problems().size() > before) {
            return null;
        }
        objectives.put(name, promised);
        return new SetConfig(name, members, keepRoles);
    }
}
