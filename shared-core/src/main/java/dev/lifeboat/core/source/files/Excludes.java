package dev.lifeboat.core.source.files;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/**
 * Paths a directory backup leaves out, as glob patterns relative to the archived directory, with the
 * syntax of {@link java.nio.file.FileSystem#getPathMatcher} ({@code *} within one name, {@code **}
 * across directories, {@code ?}, {@code [a-z]}, {@code {a,b}}):
 *
 * <ul>
 *   <li>a pattern with a {@code /} is matched against the whole path from the root: {@code cache/**}
 *       leaves out everything under {@code cache} (the empty directory itself is kept), {@code
 *       cache} leaves out the directory and all it holds;
 *   <li>a pattern without a {@code /} is matched against the name at any depth, as in tar's and
 *       rsync's excludes: {@code *.tmp} leaves out every {@code .tmp} file;
 *   <li>a trailing {@code /} matches directories only ({@code node_modules/}).
 * </ul>
 *
 * An excluded directory is not descended into. Patterns are checked when the configuration is
 * loaded, so a typo is reported before any backup runs.
 */
public final class Excludes {
    /** Nothing excluded. */
    public static final Excludes NONE = new Excludes(List.of(), List.of());

    private final List<String> patterns;
    private final List<Rule> rules;

    private record Rule(PathMatcher matcher, boolean anchored, boolean directoriesOnly) {}

    private Excludes(List<String> patterns, List<Rule> rules) {
        this.patterns = List.copyOf(patterns);
        this.rules = List.copyOf(rules);
    }

    /** The patterns; INVALID_ARGUMENT naming the first bad one (see {@link #problem}). */
    public static Excludes of(List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        for (String p : patterns) {
            Optional<String> problem = problem(p);
            if (problem.isPresent()) {
                throw new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "exclude pattern '" + p + "': " + problem.get(),
                        "fix the pattern in the directory's excludes");
            }
            rules.add(rule(p));
        }
        return new Excludes(patterns, rules);
    }

    /** Why {@code pattern} is not a usable exclude pattern, or empty when it is. */
    public static Optional<String> problem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return Optional.of("a pattern must not be empty");
        }
        if (pattern.indexOf('\0') >= 0 || pattern.indexOf('\\') >= 0) {
            return Optional.of("a pattern must not hold NUL or backslash characters");
        }
        if (pattern.startsWith("/")) {
            return Optional.of("patterns are relative to the directory: drop the leading '/'");
        }
        String body = body(pattern);
        if (body.isEmpty()) {
            return Optional.of("the pattern names the directory itself; leave the directory out of the config instead");
        }
        for (String part : body.split("/", -1)) {
            if (part.equals("..") || part.equals(".") || part.isEmpty()) {
                return Optional.of("a pattern must not contain '.', '..' or empty path segments");
            }
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + body);
        } catch (PatternSyntaxException e) {
            return Optional.of("not a valid glob pattern (" + e.getDescription() + " near index " + e.getIndex() + ")");
        }
        return Optional.empty();
    }

    private static String body(String pattern) {
        String b = pattern.trim();
        if (b.startsWith("./")) {
            b = b.substring(2);
        }
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return b;
    }

    private static Rule rule(String pattern) {
        String body = body(pattern);
        return new Rule(
                FileSystems.getDefault().getPathMatcher("glob:" + body),
                body.contains("/"),
                pattern.trim().endsWith("/"));
    }

    /** The patterns as configured. */
    public List<String> patterns() {
        return patterns;
    }

    /**
     * Whether the entry at {@code relative} (to the archived directory, never empty) is left out.
     *
     * @param directory whether the entry is a directory (not a link to one)
     */
    public boolean excludes(Path relative, boolean directory) {
        for (Rule r : rules) {
            if (r.directoriesOnly() && !directory) {
                continue;
            }
            Path subject = r.anchored() ? relative : relative.getFileName();
            if (r.matcher().matches(subject)) {
                return true;
            }
        }
        return false;
    }
}
