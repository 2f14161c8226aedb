package dev.lifeboat.core.config;

import java.util.regex.Pattern;

/** The names a config gives its databases, directories, stores and sets. */
public final class ConfigNames {
    /**
     * 1-48 lower-case letters, digits, '-' or '_', starting and ending with a letter or digit: names
     * become path segments of store keys, and a database's or directory's name starts its backup ids.
     */
    public static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9_-]{0,46}[a-z0-9])?");

    private ConfigNames() {}

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
