package dev.lifeboat.core.testing;

import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Builds a {@code lifeboat.yaml} for a test, so the test names the settings that matter to it instead
 * of hand-writing YAML, and writes it as a 0600 file (the loader refuses anything else) or loads it.
 *
 * <pre>{@code
 * LifeboatConfig config = ConfigBuilder.in(dir)
 *         .database("app", db -> db.host("127.0.0.1").port(pg.port()).user("backup").passwordEnv("PW"))
 *         .store("local", dir.resolve("store"))
 *         .stateDir(dir.resolve("state"))
 *         .load(env);
 * }</pre>
 *
 * <p>Only what a test sets is written; the loader's own defaults apply to the rest (a single store is
 * the default store, no {@code stores:} means the XDG data directory under {@code HOME}). Each entry's
 * {@code set(key, value)} writes a setting the typed methods do not cover, and {@link #raw} merges
 * YAML text over the whole document (a section the builder has no method for, such as {@code mcp:}).
 * Settings are written in the order they are set, entries in the order they are added. Naming an entry
 * again changes the one already there (a setting set again takes its new value in its old place), so a
 * test can start from a shared configuration and change one setting of it (see {@link LiveService}).
 */
public final class ConfigBuilder {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .build();

    private final Path dir;
    private final ObjectNode root = JsonNodeFactory.instance.objectNode();

    private ConfigBuilder(Path dir) {
        this.dir = dir;
    }

    /** A configuration whose file {@link #write()} puts in {@code dir} as {@code lifeboat.yaml}. */
    public static ConfigBuilder in(Path dir) {
        return new ConfigBuilder(dir);
    }

    /** A database entry under {@code databases:} (or the one of that name already there); {@code settings} fills it in. */
    public ConfigBuilder database(String name, Consumer<Database> settings) {
        settings.accept(new Database(entry("databases", name)));
        return this;
    }

    /** A local store: {@code uri} is {@code directory}'s {@code file://} URI. */
    public ConfigBuilder store(String name, Path directory) {
        return store(name, directory.toUri().toString(), s -> {});
    }

    /** A store at {@code uri} ({@code file:///...}, {@code s3://bucket/prefix?region=...}, {@code gs://...}). */
    public ConfigBuilder store(String name, String uri) {
        return store(name, uri, s -> {});
    }

    /** A local store in {@code directory} with more settings (encryption, retention, compression). */
    public ConfigBuilder store(String name, Path directory, Consumer<Store> settings) {
        return store(name, directory.toUri().toString(), settings);
    }

    /** A store at {@code uri} with more settings (options, encryption, retention, compression). */
    public ConfigBuilder store(String name, String uri, Consumer<Store> settings) {
        ObjectNode node = entry("stores", name);
        node.put("uri", uri);
        settings.accept(new Store(node));
        return this;
    }

    /** A directory entry under {@code directories:} archiving {@code path}. */
    public ConfigBuilder directory(String name, Path path) {
        return directory(name, path, d -> {});
    }

    /** A directory entry with more settings (store, excludes, retention, compression). */
    public ConfigBuilder directory(String name, Path path, Consumer<Directory> settings) {
        ObjectNode node = entry("directories", name);
        node.put("path", path.toString());
        settings.accept(new Directory(node));
        return this;
    }

    /** A backup set: {@code sets.<name>.members}. */
    public ConfigBuilder set(String name, String... members) {
        ArrayNode list = section("sets").putObject(name).putArray("members");
        for (String m : members) {
            list.add(m);
        }
        return this;
    }

    public ConfigBuilder stateDir(Path stateDir) {
        root.put("state_dir", stateDir.toString());
        return this;
    }

    /** {@code defaults.database}. */
    public ConfigBuilder defaultDatabase(String name) {
        section("defaults").put("database", name);
        return this;
    }

    /** {@code defaults.store}. */
    public ConfigBuilder defaultStore(String name) {
        section("defaults").put("store", name);
        return this;
    }

    /** {@code defaults.restore_jobs}. */
    public ConfigBuilder defaultRestoreJobs(int jobs) {
        section("defaults").put("restore_jobs", jobs);
        return this;
    }

    /** {@code confirm.token_ttl}, e.g. "1s" or "5m". */
    public ConfigBuilder tokenTtl(String ttl) {
        section("confirm").put("token_ttl", ttl);
        return this;
    }

    /** {@code confirm.approval}: "token" or "operator". */
    public ConfigBuilder approval(String approval) {
        section("confirm").put("approval", approval);
        return this;
    }

    /**
     * YAML text merged over the document: a mapping merges key by key into the one already there,
     * anything else (a value, a list) replaces it. Blank text changes nothing.
     */
    public ConfigBuilder raw(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            return this;
        }
        JsonNode extra = YAML.readTree(yaml);
        if (!extra.isObject()) {
            throw new IllegalArgumentException("raw YAML must be a mapping of settings: " + yaml);
        }
        merge(root, (ObjectNode) extra);
        return this;
    }

    /** The document as YAML text. */
    public String yaml() {
        return YAML.writeValueAsString(root);
    }

    /** Writes {@code lifeboat.yaml} in the directory, readable by its owner only; returns its path. */
    public Path write() {
        return write("lifeboat.yaml");
    }

    /** Writes the document as {@code fileName} in the directory, readable by its owner only. */
    public Path write(String fileName) {
        Path file = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, yaml());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Writes {@code lifeboat.yaml} and loads it as the faces do ({@code env} supplies HOME and password variables). */
    public LifeboatConfig load(Map<String, String> env) {
        return new ConfigLoader(env).load(write());
    }

    private ObjectNode section(String name) {
        JsonNode existing = root.get(name);
        return existing instanceof ObjectNode o ? o : root.putObject(name);
    }

    /** The entry {@code name} of {@code section}, made empty if it is not there yet. */
    private ObjectNode entry(String section, String name) {
        ObjectNode entries = section(section);
        JsonNode existing = entries.get(name);
        return existing instanceof ObjectNode o ? o : entries.putObject(name);
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            if (into.get(e.getKey()) instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    private static JsonNode value(Object value) {
        if (value instanceof Path || value instanceof URI) {
            return JsonNodeFactory.instance.stringNode(value.toString()); // not Jackson's URI form of a Path
        }
        return YAML.valueToTree(value);
    }

    /** The settings every entry kind shares; {@link #set} writes any other. */
    public abstract static class Entry<T extends Entry<T>> {
        final ObjectNode node;

        Entry(ObjectNode node) {
            this.node = node;
        }

        @SuppressWarnings("unchecked")
        private T self() {
            return (T) this;
        }

        /** Any setting, as the YAML would hold it: a string, number, boolean, list or map (a Path as its text). */
        public T set(String key, Object value) {
            node.set(key, value(value));
            return self();
        }

        /** One retention rule ({@code keep_last}, {@code keep_daily}, ..., {@code keep_within}). */
        public T retention(String rule, Object value) {
            JsonNode existing = node.get("retention");
            ObjectNode rules = existing instanceof ObjectNode o ? o : node.putObject("retention");
            rules.set(rule, value(value));
            return self();
        }

        /** "gzip", "zstd" or "none". */
        public T compression(String method) {
            return set("compression", method);
        }

        public T compressionLevel(int level) {
            return set("compression_level", level);
        }
    }

    /** One entry under {@code databases:}. */
    public static final class Database extends Entry<Database> {
        Database(ObjectNode node) {
            super(node);
        }

        public Database host(String host) {
            return set("host", host);
        }

        public Database port(int port) {
            return set("port", port);
        }

        public Database dbname(String dbname) {
            return set("dbname", dbname);
        }

        public Database user(String user) {
            return set("user", user);
        }

        /** "disable", "require", "verify-full"... */
        public Database sslmode(String sslmode) {
            return set("sslmode", sslmode);
        }

        /** The environment variable that holds the password. */
        public Database passwordEnv(String variable) {
            return set("password_env", variable);
        }

        /** A 0600 file holding the password. */
        public Database passwordFile(Path file) {
            return set("password_file", file);
        }

        /** A libpq .pgpass file. */
        public Database passfile(Path file) {
            return set("passfile", file);
        }

        /** "estimate" or "exact". */
        public Database countRows(String countRows) {
            return set("count_rows", countRows);
        }

        public Database pgBinDir(Path dir) {
            return set("pg_bin_dir", dir);
        }

        public Database drillTarget(String database) {
            return set("drill_target", database);
        }

        public Database restoreJobs(int jobs) {
            return set("restore_jobs", jobs);
        }

        /** How long a clean restore waits for a lock the application holds: "30s", "1s". */
        public Database restoreLockTimeout(String duration) {
            return set("restore_lock_timeout", duration);
        }

        /** How long a replacing restore keeps the database it replaced: "24h", "1s", "0". */
        public Database keepPrevious(String duration) {
            return set("keep_previous", duration);
        }

        /** Where this database's backups go. */
        public Database store(String name) {
            return set("store", name);
        }
    }

    /** One entry under {@code directories:}. */
    public static final class Directory extends Entry<Directory> {
        Directory(ObjectNode node) {
            super(node);
        }

        /** Where this directory's backups go. */
        public Directory store(String name) {
            return set("store", name);
        }

        /** Glob patterns left out of the archive, relative to the directory. */
        public Directory excludes(String... patterns) {
            return set("excludes", List.of(patterns));
        }
    }

    /** One entry under {@code stores:}; {@link #set} writes an adapter option ({@code part_size}, {@code endpoint}...). */
    public static final class Store extends Entry<Store> {
        Store(ObjectNode node) {
            super(node);
        }

        /** Client-side encryption: {@code settings} names recipients and/or where the identity is. */
        public Store encryption(Consumer<Encryption> settings) {
            JsonNode existing = node.get("encryption");
            settings.accept(new Encryption(existing instanceof ObjectNode o ? o : node.putObject("encryption")));
            return this;
        }
    }

    /** A store's {@code encryption:} mapping. */
    public static final class Encryption {
        private final ObjectNode node;

        Encryption(ObjectNode node) {
            this.node = node;
        }

        /** The age1... public keys backups are encrypted to. */
        public Encryption recipients(String... recipients) {
            return recipients(List.of(recipients));
        }

        /** The age1... public keys backups are encrypted to. */
        public Encryption recipients(List<String> recipients) {
            ArrayNode list = node.putArray("recipients");
            recipients.forEach(list::add);
            return this;
        }

        /** A 0600 file holding the identity, for verify and restore. */
        public Encryption identityFile(Path file) {
            node.put("identity_file", file.toString());
            return this;
        }

        /** The environment variable holding the identity. */
        public Encryption identityEnv(String variable) {
            node.put("identity_env", variable);
            return this;
        }
    }
}
