package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.base.Remedy;

/**
 * The MCP face's words for the core's {@link Remedy remedies}: its tools' argument names. An
 * operator's approval is not spelled out as a command: the model must not be told how to approve
 * its own plan.
 */
public final class McpRemedies {
    private McpRemedies() {}

    public static String spell(Remedy remedy) {
        return switch (remedy) {
            case TARGET_SERVER -> "target_server";
            case TARGET_DBNAME -> "target_dbname";
            case TARGET_DIR -> "target_dir";
            // over an existing database is a tool of its own: the hint names it with its argument
            case MODE_CLEAN -> Restores.OVER_EXISTING + ", mode \"clean\"";
            case MODE_REPLACE -> Restores.OVER_EXISTING + ", mode \"replace\"";
            case UNDO -> "the undo_restore tool";
            case PLAN -> "call the tool without confirm_token";
            case CONFIRM -> "confirm_token";
            case LIST_BACKUPS -> "call list_backups";
            // says who and where, never how: the approving command is for the person, not for a model with a shell
            case APPROVE -> "a person must approve, at a terminal, plan";
            case ALLOW_LAST -> "allow_last: true (only if the user confirmed that as well)";
            case CONTENTS -> "get_backup with contents: true";
            case NO_OWNER -> "owners \"login\"";
            case CREATE_ROLES -> "owners \"create_roles\"";
        };
    }
}
