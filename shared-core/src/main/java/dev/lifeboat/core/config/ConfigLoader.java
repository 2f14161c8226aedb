package dev.lifeboat.core.config;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.FilePermissions;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupId;
import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.source.files.Excludes;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.store.StoreUri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Finds, reads and validates {@code lifeboat.yaml}. Every problem is reported up front, all at once,
 * each naming the setting ({@code databases.app.port}) and what to do, in the manner of HikariCP.
 * With no file, the embedded defaults are one database from the standard libpq environment and a
 * local store under the XDG data directory.
 */
public final class ConfigLoader {
    // "mcp" is validated by lifeboat-mcp (McpSettingsLoader): only the server listens on a socket
    private static final Set<String> TOP =
            Set.of("databases", "directories", "sets", "stores", "defaults", "state_dir", "confirm", "mcp");
    private static final Set<String> DATABASE_KEYS = Set.of(
            "host",
            "port",
            "dbname",
            "user",
            "sslmode",
            "password_env",
            "password_file",
            "passfile",
            "count_rows",
            "store",
            "pg_bin_dir",
            "drill_target",
            "retention",
            "compression",
            "compression_level",
            "restore_jobs");
    private static final Set<String> SSLMODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)");

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static ConfigLoader fromSystem() {
        return new ConfigLoader(System.getenv());
    }

    /**
     * Loads the configuration: {@code explicit} if given, else {@code $LIFEBOAT_CONFIG}, else
     * {@code $XDG_CONFIG_HOME/lifeboat/lifeboat.yaml} if it exists, else the embedded defaults.
     */
    public LifeboatConfig load(Path explicit) {
        Path file = explicit;
        if (file == null
                && env.get("LIFEBOAT_CONFIG") != null
                && !env.get("LIFEBOAT_CONFIG").isBlank()) {
            file = Path.of(env.get("LIFEBOAT_CONFIG"));
        }
        if (file == null) {
            Path xdg = xdgConfigHome().resolve("lifeboat").resolve("lifeboat.yaml");
            if (Files.exists(xdg)) {
                file = xdg;
            }
        }
        if (file == null) {
            return embeddedDefaults();
        }
        return loadFile(file);
    }

    public LifeboatConfig loadFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "config file " + file + " does not exist",
                    "create it (see docs/configuration.md) or unset LIFEBOAT_CONFIG / drop --config to use the defaults");
        }
        FilePermissions.requireOwnerOnly(file, "config file");
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException | JacksonException e) {
            String msg = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID, "config file " + file + " is not valid YAML: " + msg, null, e);
        }
        return parse(root, file);
    }

    /** Validates a parsed document; {@code file} is used in messages and to resolve relative paths. */
    LifeboatConfig parse(JsonNode root, Path file) {
        List<String> problems = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            problems.add("the file is empty: add 'databases:' and 'stores:'");
            throw invalid(file, problems);
        }
        if (!root.isObject()) {
            throw invalid(file, List.of("the top level must be a mapping of settings"));
        }
        unknownKeys(root, "", TOP, problems);

        Map<String, StoreConfig> stores = new LinkedHashMap<>();
        JsonNode storesNode = root.get("stores");
        if (storesNode != null && !storesNode.isNull()) {
            if (!storesNode.isObject()) {
                problems.add("stores: must be a mapping of store names to settings");
            } else {
                for (Map.Entry<String, JsonNode> e : storesNode.properties()) {
                    store(e.getKey(), e.getValue(), file, problems).ifPresent(s -> stores.put(s.name(), s));
                }
            }
        }
        Path stateDir = optionalPath(root, "state_dir", "state_dir", file, problems);
        if (stores.isEmpty() && (storesNode == null || storesNode.isNull())) {
            stores.put("local", defaultLocalStore());
        }

        Map<String, DirectoryConfig> directories = new LinkedHashMap<>();
        JsonNode dirs = root.get("directories");
        if (dirs != null && !dirs.isNull()) {
            if (!dirs.isObject()) {
                problems.add("directories: must be a mapping of directory names to settings (path, store...)");
            } else {
                for (Map.Entry<String, JsonNode> e : dirs.properties()) {
                    directory(e.getKey(), e.getValue(), stores, problems).ifPresent(d -> directories.put(d.name(), d));
                }
            }
        }

        Map<String, DatabaseConfig> databases = new LinkedHashMap<>();
        JsonNode dbs = root.get("databases");
        if (dbs == null || dbs.isNull() || (dbs.isObject() && dbs.isEmpty())) {
            if (directories.isEmpty() && (dirs == null || !dirs.isObject() || dirs.isEmpty())) {
                problems.add("databases: at least one database (or a directory under 'directories:') is required");
            }
        } else if (!dbs.isObject()) {
            problems.add("databases: must be a mapping of database names to settings");
        } else {
            for (Map.Entry<String, JsonNode> e : dbs.properties()) {
                database(e.getKey(), e.getValue(), file, stores, problems).ifPresent(d -> databases.put(d.name(), d));
            }
        }

        for (String name : directories.keySet()) {
            if (dbs != null && dbs.isObject() && dbs.has(name)) {
                problems.add("directories." + name + ": the name '" + name + "' is also a database; databases and"
                        + " directories share one namespace (it starts their backup ids), rename one of them");
            }
        }
        Map<String, SetConfig> sets = sets(root.get("sets"), databases, directories, dbs, dirs, problems);

        String defaultDatabase =
                databases.size() == 1 ? databases.keySet().iterator().next() : null;
        String defaultStore = stores.size() == 1 ? stores.keySet().iterator().next() : null;
        int restoreJobs = 0;
        JsonNode defaults = root.get("defaults");
        if (defaults != null && !defaults.isNull()) {
            if (!defaults.isObject()) {
                problems.add("defaults: must be a mapping with 'database', 'store' and/or 'restore_jobs'");
            } else {
                unknownKeys(defaults, "defaults.", Set.of("database", "store", "restore_jobs"), problems);
                restoreJobs = restoreJobs(defaults, "defaults.restore_jobs", problems);
                String d = optionalString(defaults, "database", "defaults.database", problems);
                if (d != null) {
                    if (!databases.containsKey(d) && dbs != null && dbs.isObject() && !dbs.has(d)) {
                        problems.add("defaults.database: '" + d + "' is not a configured database");
                    }
                    defaultDatabase = d;
                }
                String s = optionalString(defaults, "store", "defaults.store", problems);
                if (s != null) {
                    if (!stores.containsKey(s)) {
                        problems.add("defaults.store: '" + s + "' is not a configured store");
                    }
                    defaultStore = s;
                }
            }
        }
        if (defaultStore == null && stores.size() > 1) {
            // a database without its own store needs a default
            for (DatabaseConfig d : databases.values()) {
                if (d.store() == null) {
                    problems.add("databases." + d.name()
                            + ".store: several stores are configured; name one here or set defaults.store");
                }
            }
            for (DirectoryConfig d : directories.values()) {
                if (d.store() == null) {
                    problems.add("directories." + d.name()
                            + ".store: several stores are configured; name one here or set defaults.store");
                }
            }
        }

        Duration ttl = Duration.ofMinutes(5);
        ApprovalMode approval = ApprovalMode.TOKEN;
        JsonNode confirm = root.get("confirm");
        if (confirm != null && !confirm.isNull()) {
            if (!confirm.isObject()) {
                problems.add("confirm: must be a mapping with 'token_ttl' and/or 'approval'");
            } else {
                unknownKeys(confirm, "confirm.", Set.of("token_ttl", "approval"), problems);
                String t = optionalString(confirm, "token_ttl", "confirm.token_ttl", problems);
                if (t != null) {
                    Duration parsed = parseDuration(t);
                    if (parsed == null || parsed.isNegative() || parsed.isZero() || parsed.toHours() > 24) {
                        problems.add(
                                "confirm.token_ttl: '" + t + "' is not a duration between 1s and 24h (e.g. 5m, 90s)");
                    } else {
                        ttl = parsed;
                    }
                }
                String a = optionalString(confirm, "approval", "confirm.approval", problems);
                if (a != null) {
                    try {
                        approval = ApprovalMode.valueOf(a.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        problems.add("confirm.approval: '" + a + "' must be 'token' or 'operator'");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(file, problems);
        }
        return new LifeboatConfig(
                file,
                databases,
                stores,
                defaultDatabase,
                defaultStore,
                stateDir != null ? stateDir : defaultStateDir(),
                ttl,
                approval,
                directories,
                sets,
                restoreJobs);
    }

    /** No config file: one database from the libpq environment, one local store. */
    public LifeboatConfig embeddedDefaults() {
        String user = firstNonBlank(env.get("PGUSER"), env.get("USER"), System.getProperty("user.name"), "postgres");
        String dbname = firstNonBlank(env.get("PGDATABASE"), user);
        String host = firstNonBlank(env.get("PGHOST"), "localhost");
        int port = 5432;
        String portText = env.get("PGPORT");
        if (portText != null && !portText.isBlank()) {
            try {
                port = Integer.parseInt(portText.trim());
            } catch (NumberFormatException e) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID, "PGPORT: '" + portText + "' is not a port number", null);
            }
        }
        String passfile = env.get("PGPASSFILE");
        String name = nameFor(dbname);
        DatabaseConfig db = new DatabaseConfig(
                name,
                host,
                port,
                dbname,
                user,
                blankToNull(env.get("PGSSLMODE")),
                null,
                null,
                passfile == null || passfile.isBlank() ? null : Path.of(passfile),
                env.get("PGPASSWORD") != null && !env.get("PGPASSWORD").isEmpty(),
                RowCounts.ESTIMATE,
                null,
                null,
                null,
                null,
                null,
                0);
        return new LifeboatConfig(
                null,
                Map.of(name, db),
                Map.of("local", defaultLocalStore()),
                name,
                "local",
                defaultStateDir(),
                Duration.ofMinutes(5),
                ApprovalMode.TOKEN);
    }

    /** A configured name derived from a database name: lower-case, invalid characters become '-'. */
    static String nameFor(String dbname) {
        String n =
                dbname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceAll("^[-_]+|[-_]+$", "");
        if (n.length() > 48) {
            n = n.substring(0, 48).replaceAll("[-_]+$", "");
        }
        return n.isEmpty() ? "db" : n;
    }

    private StoreConfig defaultLocalStore() {
        Path dir = xdgDataHome().resolve("lifeboat").resolve("backups");
        return new StoreConfig("local", StoreUri.parse(dir.toUri().toString(), "stores.local.uri"), Map.of());
    }

    private java.util.Optional<StoreConfig> store(String name, JsonNode node, Path file, List<String> problems) {
        String at = "stores." + name;
        if (!BackupId.NAME.matcher(name).matches()) {
            problems.add(at + ": invalid store name (use 1-48 lower-case letters, digits, '-' or '_')");
            return java.util.Optional.empty();
        }
        if (node == null || !node.isObject()) {
            problems.add(at + ": must be a mapping with at least 'uri'");
            return java.util.Optional.empty();
        }
        String uri = optionalString(node, "uri", at + ".uri", problems);
        if (uri == null) {
            problems.add(at + ".uri: required (e.g. file:///var/backups/lifeboat)");
            return java.util.Optional.empty();
        }
        StoreEncryption encryption = encryption(node.get("encryption"), at + ".encryption", file, problems);
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equals("uri")
                    || e.getKey().equals("encryption")
                    || e.getKey().equals("retention")
                    || e.getKey().equals("compression")
                    || e.getKey().equals("compression_level")) {
                continue;
            }
            if (e.getValue().isContainer()) {
                problems.add(at + "." + e.getKey() + ": must be a single value");
            } else {
                options.put(e.getKey(), e.getValue().asString());
            }
        }
        try {
            StoreUri parsed = StoreUri.parse(expandHome(uri), at + ".uri");
            if (parsed.scheme().equals("file") && !options.isEmpty()) {
                problems.add(at + ": unknown setting(s) " + options.keySet() + " for a file store (only 'uri')");
            }
            StoreConfig config = new StoreConfig(
                    name,
                    parsed,
                    options,
                    encryption,
                    retention(node.get("retention"), at + ".retention", problems),
                    compression(node, at, problems));
            BackupStores.checkSettings(config);
            return java.util.Optional.of(config);
        } catch (LifeboatException e) {
            problems.add(e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** A {@code retention:} mapping (keep_last, keep_daily, ..., keep_within), or null when absent. */
    private static dev.lifeboat.core.retention.RetentionPolicy retention(
            JsonNode node, String at, List<String> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(at + ": must be a mapping of rules such as keep_last: 7, keep_daily: 14");
            return null;
        }
        Map<String, Object> rules = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            rules.put(
                    e.getKey(),
                    e.getValue().isContainer()
                            ? e.getValue().toString()
                            : e.getValue().asString());
        }
        try {
            return dev.lifeboat.core.retention.RetentionPolicy.fromMap(rules, at);
        } catch (LifeboatException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** The {@code encryption:} mapping of a store: recipients, and where the identity comes from. */
    private StoreEncryption encryption(JsonNode node, String at, Path file, List<String> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(at + ": must be a mapping with 'recipients' and/or 'identity_file' / 'identity_env'");
            return null;
        }
        unknownKeys(node, at + ".", Set.of("recipients", "identity_file", "identity_env"), problems);
        List<String> recipients = new ArrayList<>();
        JsonNode r = node.get("recipients");
        if (r != null && !r.isNull()) {
            if (r.isArray()) {
                r.forEach(v -> recipients.add(v.asString().trim()));
            } else if (r.isContainer()) {
                problems.add(at + ".recipients: must be a list of age1... public keys");
            } else {
                recipients.add(r.asString().trim());
            }
        }
        if (!recipients.isEmpty()) {
            try {
                dev.lifeboat.core.crypto.AgeRecipients.parse(recipients, at + ".recipients");
            } catch (LifeboatException e) {
                problems.add(e.getMessage());
            }
        }
        Path identityFile = optionalPath(node, "identity_file", at + ".identity_file", file, problems);
        String identityEnv = optionalString(node, "identity_env", at + ".identity_env", problems);
        if (identityFile != null && identityEnv != null) {
            problems.add(at + ": set only one of identity_file and identity_env");
        }
        if (identityEnv != null && !ENV_NAME.matcher(identityEnv).matches()) {
            problems.add(at + ".identity_env: '" + identityEnv + "' is not an environment variable name");
        }
        if (identityFile != null) {
            if (!Files.isRegularFile(identityFile)) {
                problems.add(at + ".identity_file: " + identityFile + " does not exist");
            } else {
                try {
                    FilePermissions.requireOwnerOnly(identityFile, at + ".identity_file");
                } catch (LifeboatException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (recipients.isEmpty() && identityFile == null && identityEnv == null) {
            problems.add(at + ": name recipients (to encrypt) and/or identity_file or identity_env (to decrypt)");
        }
        return new StoreEncryption(recipients, identityFile, identityEnv);
    }

    private java.util.Optional<DatabaseConfig> database(
            String name, JsonNode node, Path file, Map<String, StoreConfig> stores, List<String> problems) {
        String at = "databases." + name;
        int before = problems.size();
        if (!BackupId.NAME.matcher(name).matches()) {
            problems.add(at + ": invalid database name (use 1-48 lower-case letters, digits, '-' or '_'; "
                    + "it becomes part of backup ids)");
            return java.util.Optional.empty();
        }
        if (node == null || !node.isObject()) {
            problems.add(at + ": must be a mapping with host, dbname, user...");
            return java.util.Optional.empty();
        }
        if (node.has("password")) {
            problems.add(at + ".password is not allowed: no inline passwords; use password_env (an environment "
                    + "variable), password_file (a 0600 file) or passfile (a libpq .pgpass file)");
        }
        Set<String> allowed = new java.util.HashSet<>(DATABASE_KEYS);
        allowed.add("password");
        unknownKeys(node, at + ".", allowed, problems);
        String host = firstNonBlank(optionalString(node, "host", at + ".host", problems), "localhost");
        int port = 5432;
        JsonNode portNode = node.get("port");
        if (portNode != null && !portNode.isNull()) {
            if (!portNode.isIntegralNumber() || portNode.asInt() < 1 || portNode.asInt() > 65535) {
                problems.add(at + ".port: '" + portNode.asString() + "' is not a port number (1-65535)");
            } else {
                port = portNode.asInt();
            }
        }
        String dbname = firstNonBlank(optionalString(node, "dbname", at + ".dbname", problems), name);
        String user = optionalString(node, "user", at + ".user", problems);
        if (user == null) {
            problems.add(at + ".user: required (the role pg_dump logs in as)");
        }
        String sslmode = optionalString(node, "sslmode", at + ".sslmode", problems);
        if (sslmode != null && !SSLMODES.contains(sslmode)) {
            problems.add(at + ".sslmode: '" + sslmode + "' must be one of " + new java.util.TreeSet<>(SSLMODES));
        }
        String passwordEnv = optionalString(node, "password_env", at + ".password_env", problems);
        if (passwordEnv != null && !ENV_NAME.matcher(passwordEnv).matches()) {
            problems.add(at + ".password_env: '" + passwordEnv + "' is not an environment variable name");
        }
        Path passwordFile = optionalPath(node, "password_file", at + ".password_file", file, problems);
        Path passfile = optionalPath(node, "passfile", at + ".passfile", file, problems);
        int sources = (passwordEnv != null ? 1 : 0) + (passwordFile != null ? 1 : 0) + (passfile != null ? 1 : 0);
        if (sources > 1) {
            problems.add(at + ": set only one of password_env, password_file and passfile");
        }
        if (passwordFile != null && !Files.isRegularFile(passwordFile)) {
            problems.add(at + ".password_file: " + passwordFile + " does not exist");
        } else if (passwordFile != null) {
            try {
                FilePermissions.requireOwnerOnly(passwordFile, at + ".password_file");
            } catch (LifeboatException e) {
                problems.add(e.getMessage());
            }
        }
        if (passfile != null && !Files.isRegularFile(passfile)) {
            problems.add(at + ".passfile: " + passfile + " does not exist");
        } else if (passfile != null) {
            try {
                FilePermissions.requireOwnerOnly(passfile, at + ".passfile");
            } catch (LifeboatException e) {
                problems.add(e.getMessage());
            }
        }
        RowCounts rowCounts = RowCounts.ESTIMATE;
        String rc = optionalString(node, "count_rows", at + ".count_rows", problems);
        if (rc != null) {
            try {
                rowCounts = RowCounts.valueOf(rc.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(at + ".count_rows: '" + rc + "' must be 'estimate' or 'exact'");
            }
        }
        String store = optionalString(node, "store", at + ".store", problems);
        if (store != null && !stores.containsKey(store)) {
            problems.add(at + ".store: '" + store + "' is not a configured store (configured: "
                    + String.join(", ", stores.keySet()) + ")");
        }
        Path pgBinDir = optionalPath(node, "pg_bin_dir", at + ".pg_bin_dir", file, problems);
        if (pgBinDir != null && !Files.isDirectory(pgBinDir)) {
            problems.add(at + ".pg_bin_dir: " + pgBinDir + " is not a directory");
        }
        String drillTarget = optionalString(node, "drill_target", at + ".drill_target", problems);
        dev.lifeboat.core.retention.RetentionPolicy retention =
                retention(node.get("retention"), at + ".retention", problems);
        CompressionSetting compression = compression(node, at, problems);
        int restoreJobs = restoreJobs(node, at + ".restore_jobs", problems);
        if (problems.size() > before) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new DatabaseConfig(
                name,
                host,
                port,
                dbname,
                user,
                sslmode,
                passwordEnv,
                passwordFile,
                passfile,
                false,
                rowCounts,
                store,
                pgBinDir,
                drillTarget,
                retention,
                compression,
                restoreJobs));
    }

    /**
     * The {@code compression} (and optional {@code compression_level}) of a store or database
     * mapping, or null when it names none. A level belongs to the method beside it, so it is
     * checked against that method's range here, up front.
     */
    private static CompressionSetting compression(JsonNode node, String at, List<String> problems) {
        String name = optionalString(node, "compression", at + ".compression", problems);
        JsonNode levelNode = node.get("compression_level");
        boolean hasLevel = levelNode != null && !levelNode.isNull();
        if (name == null) {
            if (hasLevel) {
                problems.add(at + ".compression_level: set compression (gzip or zstd) beside it; a level belongs"
                        + " to a method");
            }
            return null;
        }
        java.util.Optional<Compression> method = Compression.find(name);
        if (method.isEmpty()) {
            problems.add(at + ".compression: '" + name + "' must be one of " + Compression.names());
            return null;
        }
        if (!hasLevel) {
            return new CompressionSetting(method.get(), -1);
        }
        Compression m = method.get();
        if (!levelNode.isIntegralNumber() || !m.acceptsLevel(levelNode.asInt())) {
            problems.add(at + ".compression_level: '" + levelNode.asString() + "' is not a " + m.id() + " level ("
                    + (m == Compression.NONE ? "'none' takes no level" : "use " + m.levelRange()) + ")");
            return null;
        }
        return new CompressionSetting(m, levelNode.asInt());
    }

    /** A {@code restore_jobs} value (1 to {@link #LifeboatConfig.MAX_RESTORE_JOBS}), or 0 when absent. */
    private static int restoreJobs(JsonNode node, String at, List<String> problems) {
        JsonNode v = node.get("restore_jobs");
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > LifeboatConfig.MAX_RESTORE_JOBS) {
            problems.add(at + ": '" + v.asString() + "' is not a number of parallel pg_restore jobs (1-"
                    + LifeboatConfig.MAX_RESTORE_JOBS + "; omit it to use one per core)");
            return 0;
        }
        return v.asInt();
    }

    private java.util.Optional<DirectoryConfig> directory(
            String name, JsonNode node, Map<String, StoreConfig> stores, List<String> problems) {
        String at = "directories." + name;
        int before = problems.size();
        if (!BackupId.NAME.matcher(name).matches()) {
            problems.add(at + ": invalid directory name (use 1-48 lower-case letters, digits, '-' or '_'; "
                    + "it becomes part of backup ids)");
            return java.util.Optional.empty();
        }
        if (node == null || !node.isObject()) {
            problems.add(at + ": must be a mapping with at least 'path'");
            return java.util.Optional.empty();
        }
        unknownKeys(
                node,
                at + ".",
                Set.of("path", "store", "retention", "compression", "compression_level", "excludes"),
                problems);
        String path = optionalString(node, "path", at + ".path", problems);
        Path dir = null;
        if (path == null) {
            problems.add(at + ".path: required (the absolute directory to back up, e.g. /srv/app/uploads)");
        } else {
            dir = Path.of(expandHome(path));
            if (!dir.isAbsolute()) {
                problems.add(at + ".path: '" + path + "' must be an absolute path");
            } else {
                dir = dir.normalize();
            }
        }
        String store = optionalString(node, "store", at + ".store", problems);
        if (store != null && !stores.containsKey(store)) {
            problems.add(at + ".store: '" + store + "' is not a configured store (configured: "
                    + String.join(", ", stores.keySet()) + ")");
        }
        dev.lifeboat.core.retention.RetentionPolicy retention =
                retention(node.get("retention"), at + ".retention", problems);
        CompressionSetting compression = compression(node, at, problems);
        List<String> excludes = excludes(node.get("excludes"), at + ".excludes", problems);
        if (problems.size() > before) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new DirectoryConfig(name, dir, store, retention, compression, excludes));
    }

    /** A directory's {@code excludes}: a list of glob patterns, each checked so a typo names itself. */
    private static List<String> excludes(JsonNode node, String at, List<String> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(at + ": must be a list of glob patterns relative to the directory, e.g. [\"cache/**\","
                    + " \"*.tmp\"]");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode v : node) {
            String where = at + "[" + i++ + "]";
            if (v.isContainer() || v.isNull()) {
                problems.add(where + ": must be a glob pattern (a string)");
                continue;
            }
            String pattern = v.asString();
            java.util.Optional<String> problem = Excludes.problem(pattern);
            if (problem.isPresent()) {
                problems.add(where + ": '" + pattern + "': " + problem.get());
            } else {
                out.add(pattern.trim());
            }
        }
        return out;
    }

    /** {@code sets: {name: {members: [db, dir...]}}}; members must be configured databases or directories. */
    private static Map<String, SetConfig> sets(
            JsonNode node,
            Map<String, DatabaseConfig> databases,
            Map<String, DirectoryConfig> directories,
            JsonNode dbs,
            JsonNode dirs,
            List<String> problems) {
        Map<String, SetConfig> sets = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return sets;
        }
        if (!node.isObject()) {
            problems.add("sets: must be a mapping of set names to {members: [...]}");
            return sets;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = "sets." + e.getKey();
            if (!BackupId.NAME.matcher(e.getKey()).matches()) {
                problems.add(at + ": invalid set name (use 1-48 lower-case letters, digits, '-' or '_')");
                continue;
            }
            JsonNode s = e.getValue();
            if (s == null || !s.isObject()) {
                problems.add(at + ": must be a mapping with 'members'");
                continue;
            }
            unknownKeys(s, at + ".", Set.of("members"), problems);
            JsonNode m = s.get("members");
            if (m == null || !m.isArray() || m.isEmpty()) {
                problems.add(at + ".members: required, a list of configured database or directory names");
                continue;
            }
            List<String> members = new ArrayList<>();
            boolean ok = true;
            for (JsonNode v : m) {
                String member = v.isContainer() ? v.toString() : v.asString().trim();
                boolean known = databases.containsKey(member)
                        || directories.containsKey(member)
                        || (dbs != null && dbs.isObject() && dbs.has(member))
                        || (dirs != null && dirs.isObject() && dirs.has(member));
                if (!known) {
                    problems.add(at + ".members: '" + member + "' is not a configured database or directory");
                    ok = false;
                } else if (members.contains(member)) {
                    problems.add(at + ".members: '" + member + "' is listed twice");
                    ok = false;
                } else {
                    members.add(member);
                }
            }
            if (ok) {
                sets.put(e.getKey(), new SetConfig(e.getKey(), members));
            }
        }
        return sets;
    }

    private static void unknownKeys(JsonNode node, String at, Set<String> allowed, List<String> problems) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                problems.add(at + e.getKey() + ": unknown setting (known: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String optionalString(JsonNode node, String key, String at, List<String> problems) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isContainer()) {
            problems.add(at + ": must be a single value, not a list or mapping");
            return null;
        }
        String s = v.asString().trim();
        return s.isEmpty() ? null : s;
    }

    private Path optionalPath(JsonNode node, String key, String at, Path file, List<String> problems) {
        String s = optionalString(node, key, at, problems);
        if (s == null) {
            return null;
        }
        Path p = Path.of(expandHome(s));
        if (!p.isAbsolute() && file != null && file.toAbsolutePath().getParent() != null) {
            p = file.toAbsolutePath().getParent().resolve(p);
        }
        return p.normalize();
    }

    private String expandHome(String s) {
        if (s.equals("~") || s.startsWith("~/")) {
            return home() + s.substring(1);
        }
        if (s.startsWith("file://~/")) {
            return Path.of(home() + s.substring("file://~".length())).toUri().toString();
        }
        return s;
    }

    static Duration parseDuration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static LifeboatException invalid(Path file, List<String> problems) {
        String where = file == null ? "configuration" : "config file " + file;
        return new LifeboatException(
                ErrorCode.CONFIG_INVALID,
                where + " has " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n  - "
                        + String.join("\n  - ", problems),
                "fix the settings named above; 'lifeboat config check' re-reads the file");
    }

    private String home() {
        return firstNonBlank(env.get("HOME"), System.getProperty("user.home"));
    }

    private Path xdgConfigHome() {
        String x = env.get("XDG_CONFIG_HOME");
        return x != null && !x.isBlank() ? Path.of(x) : Path.of(home(), ".config");
    }

    private Path xdgDataHome() {
        String x = env.get("XDG_DATA_HOME");
        return x != null && !x.isBlank() ? Path.of(x) : Path.of(home(), ".local", "share");
    }

    private Path defaultStateDir() {
        String x = env.get("XDG_STATE_HOME");
        Path base = x != null && !x.isBlank() ? Path.of(x) : Path.of(home(), ".local", "state");
        return base.resolve("lifeboat");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
