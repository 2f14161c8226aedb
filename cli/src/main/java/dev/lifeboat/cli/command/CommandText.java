package dev.lifeboat.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A command line a person can paste into a POSIX shell: the "run this next" of a plan. */
final class CommandText {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private final List<String> words = new ArrayList<>();

    CommandText(String... words) {
        this.words.addAll(List.of(words));
    }

    /** Adds {@code option value} when the value is set. */
    CommandText option(String option, Object value) {
        if (value != null) {
            words.add(option);
            words.add(value.toString());
        }
        return this;
    }

    /** Adds {@code option value} once per value. */
    CommandText options(String option, List<String> values) {
        values.forEach(v -> option(option, v));
        return this;
    }

    CommandText flag(String option, boolean set) {
        if (set) {
            words.add(option);
        }
        return this;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(quote(w));
        }
        return b.toString();
    }

    static String quote(String word) {
        if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
