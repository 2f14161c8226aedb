package dev.lifeboat.core.restore;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Who owns what a restore creates. */
public enum Owners {
    /**
     * Each object goes to the role that owned it in the backup; a restore whose roles are missing
     * at the target, or that the login cannot give objects to, is refused before anything is touched.
     */
    KEEP("keep"),
    /**
     * Everything goes to the restoring login (pg_restore's {@code --no-owner}); grants are restored
     * unless roles they name are missing, then left out (and the result says so).
     */
    LOGIN("login"),
    /**
     * As KEEP, after creating the missing roles from those kept with the backup ({@code globals:
     * roles}), without passwords; a restore that fails drops them again.
     */
    CREATE_ROLES("create_roles");

    private final String id;

    Owners(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** KEEP for null; INVALID_ARGUMENT naming the choices for anything else unknown ('-' reads as '_'). */
    public static Owners parse(String text) {
        if (text == null || text.isBlank()) {
            return KEEP;
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values())
                .filter(o -> o.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new LifeboatException(
                        ErrorCode.INVALID_ARGUMENT,
                        "unknown owners choice '" + text + "'",
                        "use one of: " + Arrays.stream(values()).map(Owners::id).collect(Collectors.joining(", "))));
    }
}
