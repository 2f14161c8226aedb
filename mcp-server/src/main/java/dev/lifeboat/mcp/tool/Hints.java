package dev.lifeboat.mcp.tool;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * What a tool does to what already exists, as its annotations tell hosts (which decide by them what to
 * ask the user before a call). The tools are of the few kinds named here, so that no tool's hints are
 * three bare booleans. None is open-world: no tool reaches outside the configured databases and stores.
 */
record Hints(boolean readOnly, boolean destructive, boolean idempotent) {
    /** Reads only (an audit line aside); the same call again answers the same. */
    static final Hints READ_ONLY = new Hints(true, false, true);

    /**
     * Only additive updates, in the words of the MCP spec: it changes nothing that existed before it, and
     * the same call again changes nothing more (a backup already copied is not copied twice; a cancelled
     * operation stays cancelled).
     */
    static final Hints ADDITIVE_IDEMPOTENT = new Hints(false, false, true);

    /**
     * Only additive updates: it writes something new (a backup, a drill record, a database that did not
     * exist) and changes nothing that existed before it; each call writes anew.
     */
    static final Hints ADDITIVE = new Hints(false, false, false);

    /** May overwrite or remove what existed, which is why its plan is confirmed before it acts. */
    static final Hints DESTRUCTIVE = new Hints(false, true, false);

    /** The annotations of a tool of this kind; {@code title} is the tool's own. */
    McpSchema.ToolAnnotations annotations(String title) {
        return McpSchema.ToolAnnotations.builder()
                .title(title)
                .readOnlyHint(readOnly)
                .destructiveHint(destructive)
                .idempotentHint(idempotent)
                .openWorldHint(false)
                .build();
    }
}
