package dev.lifeboat.mcp;

import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.confirm.Confirmations;
import dev.lifeboat.core.confirm.Plan;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confirmation a model cannot give itself: the server asks the person, through the client's form
 * ({@code elicitation/create}), to read a destructive plan and type what it acts on, as {@code
 * lifeboat approve} asks at a terminal. The plan's token stays in the server; the model only ever sees
 * the outcome. Used when the client declared form elicitation; other clients get the token flow.
 */
final class PersonConfirmation {
    private static final Logger LOG = LoggerFactory.getLogger(PersonConfirmation.class);

    /** The one field of the form: the typed confirmation. */
    static final String FIELD = "confirm";

    /** The error code of a plan the person did not confirm (declined, dismissed, mistyped). */
    static final String NOT_CONFIRMED = "NOT_CONFIRMED";

    private PersonConfirmation() {}

    /**
     * Whether the client takes form elicitations: {@code elicitation: {}} (2025-06-18, and 2025-11-25
     * where an empty object means form), or one with {@code form}. A client declaring URL mode only does
     * not.
     */
    static boolean supported(McpSyncServerExchange exchange) {
        return supported(exchange.getClientCapabilities());
    }

    static boolean supported(McpSchema.ClientCapabilities caps) {
        if (caps == null || caps.elicitation() == null) {
            return false;
        }
        McpSchema.ClientCapabilities.Elicitation e = caps.elicitation();
        return e.form() != null || e.url() == null;
    }

    /** Why the person's answer does not confirm the plan, with the hint for the model. */
    record Refusal(String message, String hint) {}

    /**
     * Shows {@code plan} to the person and asks for the typed confirmation.
     *
     * @return null when the person typed exactly what the plan acts on; otherwise why not. Nothing has
     *     been changed either way.
     */
    static Refusal ask(McpSyncServerExchange exchange, Plan plan, Confirmations.Pending pending) {
        Form form = form(plan, pending);
        McpSchema.ElicitResult answer;
        try {
            answer = exchange.createElicitation(McpSchema.ElicitFormRequest.builder(form.message(), form.schema())
                    .build());
        } catch (RuntimeException e) {
            LOG.warn("asking the user to confirm plan {} failed: {}", pending.planId(), e.getMessage());
            return new Refusal(
                    "the form asking the user to confirm plan " + pending.planId() + " was not answered ("
                            + e.getMessage() + "); nothing was changed",
                    "tell the user; call again if they want to see the plan again");
        }
        return judge(answer.action().name().toLowerCase(java.util.Locale.ROOT), answer.content(), pending);
    }

    /** The form that shows {@code plan} to the person: its words and the one field to type into. */
    record Form(String message, Map<String, Object> schema) {}

    static Form form(Plan plan, Confirmations.Pending pending) {
        String expected = pending.binding().typedConfirmation(pending.planId());
        String what = pending.binding().whatToType();
        return new Form(message(plan, what, expected), schema(what, expected));
    }

    /**
     * The person's answer to the form of {@code pending}.
     *
     * @param action "accept", "decline" or "cancel", as the client reported it (null: no answer)
     * @param content the form's fields, or null
     * @return null when the person accepted and typed exactly what the plan acts on; otherwise why not
     */
    static Refusal judge(String action, Map<String, Object> content, Confirmations.Pending pending) {
        String expected = pending.binding().typedConfirmation(pending.planId());
        String what = pending.binding().whatToType();
        if ("decline".equals(action)) {
            return new Refusal(
                    "the user declined plan " + pending.planId() + "; nothing was changed",
                    "do not retry on your own: ask the user what they want instead");
        }
        if (!"accept".equals(action)) {
            return new Refusal(
                    "the user closed the confirmation of plan " + pending.planId()
                            + " without answering; nothing was changed",
                    "ask the user whether they still want it before calling again");
        }
        Object typed = content == null ? null : content.get(FIELD);
        if (!(typed instanceof String s) || !s.trim().equals(expected)) {
            return new Refusal(
                    "the text the user typed did not match " + what + " ('" + expected + "'); plan " + pending.planId()
                            + " was not carried out and nothing was changed",
                    "call again for a new confirmation if the user still wants it; they must type '" + expected
                            + "' exactly");
        }
        return null;
    }

    private static String message(Plan plan, String what, String expected) {
        return Redactor.global()
                .redact("Lifeboat asks you, not the assistant, to confirm a destructive action. Nothing has been"
                        + " changed yet.\n\n" + plan.summary() + "\n\nTo carry it out, type " + what + " ('"
                        + expected + "') and accept. Decline to leave everything as it is. (plan "
                        + plan.confirmation().planId() + ", valid until "
                        + plan.confirmation().expiresAt() + ")");
    }

    private static Map<String, Object> schema(String what, String expected) {
        return Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                        FIELD,
                        Map.of(
                                "type",
                                "string",
                                "title",
                                "Type " + expected + " to confirm",
                                "description",
                                "Type " + what + " exactly: '" + expected + "'.")),
                "required",
                List.of(FIELD));
    }

    /** A 'confirmation_required' answer without its token: the person is being asked in the client. */
    static dev.lifeboat.mcp.tool.ToolResult asking(dev.lifeboat.mcp.tool.ToolResult result, Plan plan) {
        Map<String, Object> out = new java.util.LinkedHashMap<>(result.structured());
        out.remove("confirmation");
        out.put(
                "instruction",
                "Nothing has been changed yet: the server asks the user to confirm plan "
                        + plan.confirmation().planId() + " in their client; it takes no token. If they were"
                        + " shown no form, call again.");
        return new dev.lifeboat.mcp.tool.ToolResult(
                out,
                dev.lifeboat.core.base.Redactor.global()
                        .redact("CONFIRMATION REQUIRED: asking the user in their client. Plan: " + plan.summary()));
    }
}
