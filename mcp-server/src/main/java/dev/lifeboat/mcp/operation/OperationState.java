package dev.lifeboat.mcp.operation;

import java.util.Locale;

/** Where an operation is: running, or finished one of three ways. */
public enum OperationState {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** The lower-case name tools show. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
