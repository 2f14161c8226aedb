package dev.lifeboat.core.config;

/** Who must approve a destructive operation. */
public enum ApprovalMode {
    /** The confirmation token returned by the plan step is enough. */
    TOKEN,
    /** The token and, in addition, a person running {@code lifeboat approve <plan-id>}. */
    OPERATOR
}
