package dev.lifeboat.mcp.tool;

import dev.lifeboat.core.confirm.Plan;
import java.util.Map;

/**
 * A successful tool call.
 *
 * @param structured the {@code structuredContent}, conforming to the tool's output schema
 * @param summary a short text for clients that show text only
 * @param pending the plan a 'confirmation_required' answer asks a person to approve, or null: the
 *     server asks the person itself when the client can ({@code elicitation}), and then this answer,
 *     which carries the plan's token, never reaches the model
 */
public record ToolResult(Map<String, Object> structured, String summary, Plan pending) {
    public ToolResult(Map<String, Object> structured, String summary) {
        this(structured, summary, null);
    }
}
