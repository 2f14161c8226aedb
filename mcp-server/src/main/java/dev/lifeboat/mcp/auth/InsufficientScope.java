package dev.lifeboat.mcp.auth;

/**
 * Thrown by a tool when the caller lacks a scope that only the call itself can tell it needs (cancelling
 * an operation needs the scope of the call that started it); the dispatcher answers INSUFFICIENT_SCOPE
 * as for a scope it checks itself.
 */
public final class InsufficientScope extends RuntimeException {
    private final Scope needed;

    public InsufficientScope(Scope needed, String what) {
        super(what, null, false, false);
        this.needed = needed;
    }

    public Scope needed() {
        return needed;
    }
}
