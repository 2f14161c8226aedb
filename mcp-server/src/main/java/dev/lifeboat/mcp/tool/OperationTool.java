package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.auth.Scope;
import dev.lifeboat.mcp.operation.Operation;
import dev.lifeboat.mcp.operation.Operations;

/**
 * What the tools that reach an operation by its id hold: the server's operations, the caller's own of
 * them only, and backups:read to reach one at all (what more a call needs is the scope of the
 * operation's own call, which only the operation knows and only its owner may learn).
 */
abstract class OperationTool implements LifeboatTool {
    protected final Operations operations;

    OperationTool(Operations operations) {
        this.operations = operations;
    }

    @Override
    public final Scope scope() {
        return Scope.READ;
    }

    /** The caller's operation, or NOT_FOUND: another caller's looks exactly like one that never was. */
    protected final Operation find(String owner, String id) {
        return operations
                .find(owner, id)
                .orElseThrow(() -> new LifeboatException(
                        ErrorCode.NOT_FOUND,
                        "no operation '" + id + "' of this caller (finished ones are kept for an hour)",
                        "call get_operation without operation_id to list your operations"));
    }
}
