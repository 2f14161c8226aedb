package dev.lifeboat.mcp.settings;

import dev.lifeboat.mcp.auth.Scope;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tools the server offers at all, to every caller and on every transport: what the operator
 * chose, before any token's scopes are looked at. A tool left out is not in {@code tools/list} and
 * calling it is an unknown tool.
 *
 * @param readOnly {@code mcp.read_only} or {@code --read-only}: only the tools a {@code backups:read}
 *     token could call, and none of their calls that needs more (a restore drill)
 * @param allowlist {@code mcp.tools}: only these tools, by name; empty for every tool
 */
public record ToolOffer(boolean readOnly, Set<String> allowlist) {
    public static final ToolOffer ALL = new ToolOffer(false, Set.of());

    public ToolOffer {
        allowlist = Set.copyOf(new TreeSet<>(allowlist));
    }

    /** The same offer, read-only (the command line's {@code --read-only} narrows the file's offer). */
    public ToolOffer readOnlyToo() {
        return new ToolOffer(true, allowlist);
    }

    /** The scopes any call may need on this server; a call needing another is refused whoever makes it. */
    public Set<Scope> ceiling() {
        return readOnly ? EnumSet.of(Scope.READ) : EnumSet.allOf(Scope.class);
    }

    /** Whether a tool asking for {@code scope} (with no arguments that raise it) is offered. */
    public boolean offers(String tool, Scope scope) {
        return ceiling().contains(scope) && (allowlist.isEmpty() || allowlist.contains(tool));
    }
}
