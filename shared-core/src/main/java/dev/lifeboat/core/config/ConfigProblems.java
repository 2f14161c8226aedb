package dev.lifeboat.core.config;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in one configuration, each a line that starts with the setting it names
 * ({@code databases.app.port: ...}), reported together as one CONFIG_INVALID so a user fixes them
 * all in one edit. Checks that run after loading (a store adapter's settings) report through it too,
 * in the same words.
 */
public final class ConfigProblems {
    private final List<String> problems = new ArrayList<>();

    /** Adds one problem: the setting's key path, a colon, what is wrong and what to do. */
    public void add(String problem) {
        problems.add(problem);
    }

    public int size() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /**
     * Throws CONFIG_INVALID listing every problem when there is any.
     *
     * @param source the config file, for the message, or null for the embedded defaults
     */
    public void throwIfAny(Path source) {
        if (!problems.isEmpty()) {
            throw invalid(source);
        }
    }

    /** The CONFIG_INVALID that lists every problem (there must be at least one). */
    LifeboatException invalid(Path source) {
        String where = source == null ? "configuration" : "config file " + source;
        return new LifeboatException(
                ErrorCode.CONFIG_INVALID,
                where + " has " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n  - "
                        + String.join("\n  - ", problems),
                "fix the settings named above; 'lifeboat config check' re-reads the file");
    }
}
