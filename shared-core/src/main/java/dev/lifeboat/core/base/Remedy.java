package dev.lifeboat.core.base;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a hint tells the user to change, named once in the core and spelled by each face in its own
 * syntax: the CLI says {@code --target-database NAME}, the MCP server says {@code target_dbname}. A
 * core hint names a remedy as a placeholder, {@code {TARGET_DBNAME}}; {@link #render} puts a face's
 * spelling in its place. No core string names a CLI flag or an MCP argument.
 */
public enum Remedy {
    /** The configured database whose server receives a restore. */
    TARGET_SERVER("the configured database whose server receives the restore"),
    /** The database name on that server. */
    TARGET_DBNAME("another target database name"),
    /** The directory a directory backup is restored into. */
    TARGET_DIR("a target directory"),
    /** Restoring over an existing database in place (destructive). */
    MODE_CLEAN("the clean mode"),
    /** Restoring over an existing database by swapping in a restored copy, keeping the old one for undo (destructive). */
    MODE_REPLACE("the replace mode"),
    /** Undoing the last restore that replaced a database. */
    UNDO("undo the restore"),
    /** Asking for the plan of a destructive act instead of running it. */
    PLAN("ask for the plan first"),
    /** Passing the plan's token back. */
    CONFIRM("the plan's confirmation token"),
    /** Seeing the backups there are. */
    LIST_BACKUPS("list the backups"),
    /** An operator's approval of a plan; the plan's id follows it in the hint. */
    APPROVE("an operator approves plan"),
    /** The extra confirmation that removing the last backup of a source (or the last drilled one) was meant. */
    ALLOW_LAST("confirm removing the last backup too"),
    /** Seeing what one backup holds: its schemas, tables and other objects. */
    CONTENTS("list what the backup holds"),
    /** Giving every restored object to the restoring login instead of its owner in the backup. */
    NO_OWNER("give every object to the restoring login"),
    /** Creating the roles a restore needs from the roles kept with the backup. */
    CREATE_ROLES("create the missing roles from those kept with the backup");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Z_]+)}");

    private final String neutral;

    Remedy(String neutral) {
        this.neutral = neutral;
    }

    /** The placeholder to write in a hint. */
    public String ref() {
        return "{" + name() + "}";
    }

    @Override
    public String toString() {
        return ref();
    }

    /** How a remedy reads where no face is known (logs, the audit log). */
    public String neutral() {
        return neutral;
    }

    /** {@code hint} with every placeholder spelled by {@code spelling}; null stays null. */
    public static String render(String hint, Function<Remedy, String> spelling) {
        if (hint == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(hint);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            try {
                replacement = spelling.apply(Remedy.valueOf(m.group(1)));
            } catch (IllegalArgumentException e) {
                replacement = m.group(); // not a remedy: text that happens to hold braces
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The neutral spelling, for text no face words. */
    public static String neutral(String hint) {
        return render(hint, Remedy::neutral);
    }
}
