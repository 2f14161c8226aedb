package dev.lifeboat.core.config;

import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.retention.RetentionPolicy;
import dev.lifeboat.core.source.files.Excludes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code directories:}: each directory's absolute {@code path}, its {@code excludes}, and where and
 * how its tar is stored. Directories share the namespace of databases (both start backup ids).
 */
final class DirectoriesReader {
    private static final Set<String> KEYS = Set.of(
            "path",
            "store",
            "retention",
            "compression",
            "compression_level",
            "excludes",
            "rpo",
            "drill_every",
            "copies");

    private DirectoriesReader() {}

    /** The configured directories by name; an entry with any problem is left out (and reported). */
    static Map<String, DirectoryConfig> read(
            ConfigNode top, Map<String, StoreConfig> stores, Map<String, Objectives> objectives) {
        Map<String, DirectoryConfig> directories = new LinkedHashMap<>();
        ConfigNode section =
                top.section("directories", "must be a mapping of directory names to settings (path, store...)");
        if (section != null) {
            directories.putAll(section.readEntries(
                    (name, value) -> directory(section, name, value, stores, objectives), DirectoryConfig::name));
        }
        return directories;
    }

    /** Reports each directory whose name is also declared under {@code databases:}. */
    static void checkNamespace(ConfigNode top, Map<String, DirectoryConfig> directories) {
        Set<String> databases = top.namesUnder("databases");
        for (String name : directories.keySet()) {
            if (databases.contains(name)) {
                top.problem(
                        "directories." + name,
                        "the name '" + name + "' is also a database; databases and"
                                + " directories share one namespace (it starts their backup ids), rename one of them");
            }
        }
    }

    private static DirectoryConfig directory(
            ConfigNode section,
            String name,
            JsonNode value,
            Map<String, StoreConfig> stores,
            Map<String, Objectives> objectives) {
        ConfigNode node = section.entry(name, value, "directory", true, "must be a mapping with at least 'path'");
        if (node == null) {
            return null;
        }
        int before = node.problems().size();
        node.allowOnly(KEYS);
        String path = node.required("path", "the absolute directory to back up, e.g. /srv/app/uploads");
        Path dir = null;
        if (path != null) {
            dir = Path.of(node.locations().expandHome(path));
            if (!dir.isAbsolute()) {
                node.problem("path", "'" + path + "' must be an absolute path");
            } else {
                dir = dir.normalize();
            }
        }
        String store = SharedSettings.store(node, stores);
        RetentionPolicy retention = SharedSettings.retention(node);
        CompressionSetting compression = SharedSettings.compression(node);
        List<String> excludes = excludes(node);
        Objectives promised = SharedSettings.objectives(node);
        if (node.problems().size() > before) {
            return null;
        }
        objectives.put(name, promised);
        return new DirectoryConfig(name, dir, store, retention, compression, excludes);
    }

    /** A directory's {@code excludes}: a list of glob patterns, each checked so a typo names itself. */
    private static List<String> excludes(ConfigNode node) {
        JsonNode list = node.get("excludes");
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            node.problem(
                    "excludes",
                    "must be a list of glob patterns relative to the directory, e.g. [\"cache/**\", \"*.tmp\"]");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode v : list) {
            String where = "excludes[" + i++ + "]";
            if (v.isContainer() || v.isNull()) {
                node.problem(where, "must be a glob pattern (a string)");
                continue;
            }
            String pattern = v.asString();
            Optional<String> problem = Excludes.problem(pattern);
            if (problem.isPresent()) {
                node.problem(where, "'" + pattern + "': " + problem.get());
            } else {
                out.add(pattern.trim());
            }
        }
        return out;
    }
}
