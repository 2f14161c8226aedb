package dev.lifeboat.core.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where things are by default (the XDG directories under the user's home, from the given
 * environment, not the process's) and how a path written in the config file is read: {@code ~}
 * is the home directory, and a relative path is relative to the file's own directory.
 */
final class Locations {
    private final Map<String, String> env;
    private final Path file;

    /**
     * @param env the environment (HOME, XDG_*)
     * @param file the config file relative paths are resolved against, or null
     */
    Locations(Map<String, String> env, Path file) {
        this.env = env;
        this.file = file;
    }

    /** A path setting's value: {@code ~} expanded, made absolute against the file's directory, normalised. */
    Path resolve(String value) {
        Path p = Path.of(expandHome(value));
        if (!p.isAbsolute() && file != null && file.toAbsolutePath().getParent() != null) {
            p = file.toAbsolutePath().getParent().resolve(p);
        }
        return p.normalize();
    }

    /** {@code ~} and {@code ~/x} (also {@code file://~/x}) with the home directory in place of the tilde. */
    String expandHome(String s) {
        if (s.equals("~") || s.startsWith("~/")) {
            return home() + s.substring(1);
        }
        if (s.startsWith("file://~/")) {
            return Path.of(home() + s.substring("file://~".length())).toUri().toString();
        }
        return s;
    }

    Path xdgConfigHome() {
        String x = env.get("XDG_CONFIG_HOME");
        return x != null && !x.isBlank() ? Path.of(x) : Path.of(home(), ".config");
    }

    Path xdgDataHome() {
        String x = env.get("XDG_DATA_HOME");
        return x != null && !x.isBlank() ? Path.of(x) : Path.of(home(), ".local", "share");
    }

    /** {@code $XDG_STATE_HOME/lifeboat}: the state directory when the config names none. */
    Path defaultStateDir() {
        String x = env.get("XDG_STATE_HOME");
        Path base = x != null && !x.isBlank() ? Path.of(x) : Path.of(home(), ".local", "state");
        return base.resolve("lifeboat");
    }

    private String home() {
        return firstNonBlank(env.get("HOME"), System.getProperty("user.home"));
    }

    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
