package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.BackupService;
import dev.lifeboat.mcp.auth.Scope;

/** What every tool holds: the service it calls, and the scope an HTTP token needs to call it. */
abstract class ServiceTool implements LifeboatTool {
    protected final BackupService service;
    private final Scope scope;

    ServiceTool(BackupService service, Scope scope) {
        this.service = service;
        this.scope = scope;
    }

    @Override
    public final Scope scope() {
        return scope;
    }
}
