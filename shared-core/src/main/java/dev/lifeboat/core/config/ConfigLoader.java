package dev.lifeboat.core.config;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.FilePermissions;
import dev.lifeboat.core.base.LifeboatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Finds, reads and validates {@code lifeboat.yaml}. Every problem is reported up front, all at once,
 * each naming the setting ({@code databases.app.port}) and what to do, in the manner of HikariCP.
 * With no file, the embedded defaults are one database from the standard libpq environment and a
 * local store under the XDG data directory.
 *
 * <p>This class finds and checks the file; one reader per section reads it ({@code StoresReader},
 * {@code DirectoriesReader}, {@code DatabasesReader}, {@code SetsReader}, {@code DefaultsReader},
 * {@code ConfirmReader}, {@code NotifyReader}, {@code SchedulesReader}), each through {@code ConfigNode}, which words every type check with the
 * setting's key path.
 */
public final class ConfigLoader {
    /** Far above any real configuration, far below what a small heap can hold. */
    static final long MAX_CONFIG_BYTES = 1024 * 1024;

    /**
     * The sections of lifeboat.yaml ("mcp" is validated by lifeboat-mcp, McpSettingsLoader: only the
     * server listens on a socket); docs/lifeboat.schema.json declares the same ones.
     */
    static final Set<String> SECTIONS = Set.of(
            "databases",
            "directories",
            "sets",
            "stores",
            "defaults",
            "state_dir",
            "confirm",
            "notify",
            "schedules",
            "mcp");

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
            Path xdg =
                    new Locations(env, null).xdgConfigHome().resolve("lifeboat").resolve("lifeboat.yaml");
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
            // read whole only when it is small: a huge file (or a device) must be a clear error, not an
            // OutOfMemoryError in a JVM started with a small heap
            long size = Files.size(file);
            if (size > MAX_CONFIG_BYTES) {
                throw new LifeboatException(
                        ErrorCode.CONFIG_INVALID,
                        "config file " + file + " is " + size + " bytes; a lifeboat.yaml is at most "
                                + MAX_CONFIG_BYTES / 1024 + " KiB",
                        "point --config / LIFEBOAT_CONFIG at the right file");
            }
            root = YamlTree.read(Files.readString(file));
        } catch (java.nio.file.AccessDeniedException e) {
            // another OS user's owner-only config: a matter of who runs the command, not of YAML
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID,
                    "config file " + file + " cannot be read by this user: permission denied",
                    "run the command as the user that owns it (the one Lifeboat runs as), e.g. with sudo -u",
                    e);
        } catch (IOException | JacksonException e) {
            String msg = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
            throw new LifeboatException(
                    ErrorCode.CONFIG_INVALID, "config file " + file + " is not valid YAML: " + msg, null, e);
        }
        return parse(root, file);
    }

    /** Validates a parsed document; {@code file} is used in messages and to resolve relative paths. */
    LifeboatConfig parse(JsonNode root, Path file) {
        ConfigProblems problems = new ConfigProblems();
        if (root == null || root.isMissingNode() || root.isNull()) {
            problems.add("the file is empty: add 'databases:' and 'stores:'");
            throw problems.invalid(file);
        }
        if (!root.isObject()) {
            problems.add("the top level must be a mapping of settings");
            throw problems.invalid(file);
        }
        Locations locations = new Locations(env, file);
        ConfigNode top = ConfigNode.top(root, problems, locations);
        top.allowOnly(SECTIONS);
        // the order of the sections below is the order their problems are listed in
        Map<String, StoreConfig> stores = StoresReader.read(top);
        Path stateDir = top.path("state_dir");
        if (stores.isEmpty() && !top.isSet("stores")) {
            stores.put("local", EmbeddedDefaults.localStore(locations));
        }
        Map<String, Objectives> sourceObjectives = new java.util.LinkedHashMap<>();
        Map<String, Objectives> setObjectives = new java.util.LinkedHashMap<>();
        Map<String, DirectoryConfig> directories = DirectoriesReader.read(top, stores, sourceObjectives);
        Map<String, DatabaseConfig> databases = DatabasesReader.read(top, stores, sourceObjectives);
        DirectoriesReader.checkNamespace(top, directories);
        Map<String, SetConfig> sets = SetsReader.read(top, setObjectives);
        databases = SetsReader.keepRoles(databases, sets);
        DefaultsReader.Defaults defaults = DefaultsReader.read(top, databases, directories, stores);
        ConfirmReader.Confirm confirm = ConfirmReader.read(top);
        List<NotifyTarget> notify = NotifyReader.read(top);
        Map<String, ScheduleConfig> schedules = SchedulesReader.read(top, stores);
        problems.throwIfAny(file);
        return new LifeboatConfig(
                file,
                databases,
                stores,
                defaults.database(),
                defaults.store(),
                stateDir != null ? stateDir : locations.defaultStateDir(),
                confirm.tokenTtl(),
                confirm.approval(),
                directories,
                sets,
                defaults.restoreJobs(),
                new ObjectiveSettings(sourceObjectives, setObjectives),
                notify,
                schedules);
    }

    /** No config file: one database from the libpq environment, one local store. */
    public LifeboatConfig embeddedDefaults() {
        return EmbeddedDefaults.of(env);
    }
}
