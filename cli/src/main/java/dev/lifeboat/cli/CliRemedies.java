package dev.lifeboat.cli;

import dev.lifeboat.core.base.Remedy;

/** The CLI's words for the core's {@link Remedy remedies}: its flags and commands. */
public final class CliRemedies {
    private CliRemedies() {}

    public static String spell(Remedy remedy) {
        return switch (remedy) {
            case TARGET_SERVER -> "--target-server DATABASE";
            case TARGET_DBNAME -> "--target-dbname NAME";
            case TARGET_DIR -> "--target-dir PATH";
            case MODE_CLEAN -> "--clean";
            case MODE_REPLACE -> "--replace";
            case UNDO -> "run 'lifeboat restore undo DATABASE'";
            case PLAN -> "run the same command with --plan";
            case CONFIRM -> "--confirm TOKEN";
            case LIST_BACKUPS -> "run 'lifeboat backup list'";
            case APPROVE -> "a person at a terminal runs: lifeboat approve";
            case ALLOW_LAST -> "--allow-last";
            case CONTENTS -> "run 'lifeboat backup get ID --contents'";
            case NO_OWNER -> "--no-owner";
            case CREATE_ROLES -> "--create-roles";
        };
    }
}
