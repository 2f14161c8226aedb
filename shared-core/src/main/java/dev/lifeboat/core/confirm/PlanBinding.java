package dev.lifeboat.core.confirm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The facts a confirmation token is bound to. Executing with a token whose binding differs in any
 * field is refused, and the message names the field.
 *
 * @param operation "restore" or "delete"
 * @param backupId the backup
 * @param sha256 the backup's checksum from its manifest (a replaced backup gets a new token)
 * @param target where it acts: "host:port/dbname" for a restore, the store name for a delete
 * @param mode the restore mode, or "delete"
 */
public record PlanBinding(String operation, String backupId, String sha256, String target, String mode) {

    /** The fields by name, in a fixed order, for comparison and signing. */
    Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("operation", operation);
        m.put("backup", backupId);
        m.put("backup checksum", sha256);
        m.put("target", target);
        m.put("mode", mode);
        return m;
    }

    /**
     * Why a token bound to this plan is refused for {@code now}, whose {@code field} differs: a
     * prune's "checksum" is the digest of the backups it removes, which no person reads as such.
     */
    String mismatch(String field, String bound, String now) {
        if ("prune".equals(operation) && "backup checksum".equals(field)) {
            return "the confirmation token was issued for a different set of backups to remove: backups were"
                    + " taken or removed since the plan was made";
        }
        if ("gc".equals(operation) && "backup checksum".equals(field)) {
            return "the confirmation token was issued for a different set of leftovers: runs ended or left"
                    + " something behind since the plan was made";
        }
        return "the confirmation token was issued for " + field + " '" + bound + "', not '" + now + "'";
    }

    /**
     * What a person types to confirm the plan {@code planId} bound to this: the name of what it acts on
     * (the database or directory a restore or undo replaces, the backup a delete removes), or the plan
     * id where it acts on many things at once (prune, gc). Both faces ask for it: {@code lifeboat
     * approve} at a terminal, the MCP server through its client's form.
     */
    public String typedConfirmation(String planId) {
        return switch (operation) {
            case "delete" -> backupId;
            case "restore", "undo" ->
                target.startsWith("dir:")
                        ? target.substring("dir:".length())
                        : target.substring(target.lastIndexOf('/') + 1);
            default -> planId;
        };
    }

    /** What {@link #typedConfirmation} is, in words: "the name of the database it replaces". */
    public String whatToType() {
        return switch (operation) {
            case "delete" -> "the id of the backup to delete";
            case "restore", "undo" ->
                target.startsWith("dir:") ? "the directory it replaces" : "the name of the database it replaces";
            default -> "the plan id";
        };
    }

    String canonical() {
        StringBuilder sb = new StringBuilder();
        fields().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }
}
