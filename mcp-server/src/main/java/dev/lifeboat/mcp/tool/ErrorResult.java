package dev.lifeboat.mcp.tool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one shape of every tool's {@code isError} result, and its declaration in every output schema.
 *
 * <p>An error result carries {@code CODE: message} and {@code Hint: hint} as text, and
 * {@code structuredContent: {"error": {code, message, hint}}}. Clients may validate
 * {@code structuredContent} against the tool's {@code outputSchema} even when {@code isError} is true:
 * the TypeScript SDK's {@code Client.callTool} does, and turns a mismatch into
 * {@code McpError -32602 "Structured content does not match the tool's output schema"}, so the model
 * would never see the code or the hint. Every output schema therefore declares {@code error}
 * ({@link Schema#output}), and the dispatcher refuses to register a tool whose schema rejects it
 * ({@link #problem}).
 */
public final class ErrorResult {
    /** The top-level key of an error's {@code structuredContent}. */
    public static final String KEY = "error";

    private ErrorResult() {}

    /**
     * The schema of {@code structuredContent.error}, built with {@link Schema}'s ordered maps (not
     * {@code Map.of}, whose order changes between JVM starts) so that tools/list is byte-stable.
     */
    static Map<String, Object> schema() {
        Map<String, Object> error = Schema.anyObject(
                "Present only in an isError result, instead of the success fields: what went wrong and what to"
                        + " do next.");
        error.put(
                "properties",
                Schema.props(
                        "code",
                        Schema.string(
                                "A stable word to act on: INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, INTEGRITY_FAILED,"
                                        + " CONFIRMATION_REQUIRED, TOKEN_REJECTED, INSUFFICIENT_SCOPE,"
                                        + " DATABASE_UNREACHABLE, ..."),
                        "message",
                        Schema.string("What went wrong."),
                        "hint",
                        Schema.string("What to do about it, when known.")));
        error.put("required", List.of("code", "message"));
        return error;
    }

    /**
     * {@code success} (an object schema) extended with the error result: an optional {@code error}
     * property, and its top-level {@code required} turned into {@code anyOf: [{required: [...]},
     * {required: ["error"]}]}, so a success still needs its fields and an error needs {@code error}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> declareErrorShape(Map<String, Object> success) {
        if (success.containsKey("anyOf") || success.containsKey("oneOf") || success.containsKey("allOf")) {
            throw new IllegalArgumentException(
                    "an output schema with its own anyOf/oneOf/allOf needs its error" + " shape declared by hand");
        }
        Map<String, Object> properties =
                new LinkedHashMap<>((Map<String, Object>) success.getOrDefault("properties", Map.of()));
        if (properties.containsKey(KEY)) {
            throw new IllegalArgumentException("'" + KEY + "' is reserved for the error result");
        }
        properties.put(KEY, schema());
        Map<String, Object> out = new LinkedHashMap<>(success);
        out.put("properties", properties);
        Object required = out.remove("required");
        if (required instanceof List<?> fields && !fields.isEmpty()) {
            out.put("anyOf", List.of(Map.of("required", List.copyOf(fields)), Map.of("required", List.of(KEY))));
        }
        return out;
    }

    /** {@code {"error": {code, message, hint}}}; the hint is left out when null. */
    public static Map<String, Object> structured(String code, String message, String hint) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message(code, message));
        if (hint != null) {
            error.put("hint", hint);
        }
        return Map.of(KEY, error);
    }

    /** {@code CODE: message} and, on a second line, {@code Hint: hint}. */
    public static String text(String code, String message, String hint) {
        return code + ": " + message(code, message) + (hint == null ? "" : "\nHint: " + hint);
    }

    /** A message is never null or blank: the error's schema requires a string. */
    private static String message(String code, String message) {
        return message == null || message.isBlank()
                ? code.toLowerCase(Locale.ROOT).replace('_', ' ')
                : message;
    }
}
