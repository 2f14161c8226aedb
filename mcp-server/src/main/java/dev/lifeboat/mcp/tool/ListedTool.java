package dev.lifeboat.mcp.tool;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool as {@code tools/list} shows it: what a client needs to call it and to check its answers, and
 * no more, because every byte of {@code tools/list} sits in the model's context for the whole
 * session. The server keeps the tool's full definition and checks calls and answers against it; what
 * is listed only relaxes it, so whatever the full schemas accept the listed ones accept too:
 *
 * <ul>
 *   <li>input schemas lose their {@code pattern}s and the tokens' length limit (the server checks ids,
 *       names and tokens, with a message that says what is wrong);
 *   <li>output schemas keep what a client checks an answer by: the fields an answer requires, a
 *       status's values, which answers and which errors are possible ({@code anyOf}, the {@code error}
 *       shape with its string code and required message), and the title of a field that has one (what
 *       a tool is for, such as drill_backup's drill record). They lose the other optional fields, which
 *       would be listed as {@code {}} (accepting anything, as leaving them out does), types,
 *       descriptions and the inside of nested objects, which the text of each answer explains;
 *   <li>annotations lose their title, which repeats the tool's own, and an idempotent hint that
 *       says nothing.
 * </ul>
 */
public final class ListedTool {
    private ListedTool() {}

    public static McpSchema.Tool of(McpSchema.Tool full) {
        McpSchema.ToolAnnotations a = full.annotations();
        return McpSchema.Tool.builder()
                .name(full.name())
                .title(full.title())
                .description(full.description())
                .inputSchema(withoutPatterns(full.inputSchema()))
                .outputSchema(full.outputSchema() == null ? null : output(full.outputSchema()))
                .annotations(a == null ? null : hints(a))
                .build();
    }

    /**
     * The hints that say something: a read-only tool's idempotent hint is meaningless by the spec, and
     * false is its default. The read-only and destructive hints stay on every tool, whatever their
     * defaults: hosts decide what to ask the user by them.
     */
    private static McpSchema.ToolAnnotations hints(McpSchema.ToolAnnotations a) {
        boolean readOnly = Boolean.TRUE.equals(a.readOnlyHint());
        return new McpSchema.ToolAnnotations(
                null,
                a.readOnlyHint(),
                a.destructiveHint(),
                readOnly || !Boolean.TRUE.equals(a.idempotentHint()) ? null : Boolean.TRUE,
                a.openWorldHint(),
                a.returnDirect());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutPatterns(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        schema.forEach((k, v) -> {
            // a pattern, or a token's length limit, says nothing a caller acts on; the server checks both
            if (k.equals("pattern")
                    || (k.equals("maxLength") && Integer.valueOf(4096).equals(v))) {
                return;
            }
            if (v instanceof Map<?, ?> m) {
                out.put(k, withoutPatterns((Map<String, Object>) m));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> output(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", schema.getOrDefault("type", "object"));
        java.util.Set<Object> required = new java.util.HashSet<>();
        if (schema.get("required") instanceof List<?> r) {
            required.addAll(r);
        }
        if (schema.get("anyOf") instanceof List<?> branches) {
            branches.forEach(b -> {
                if (b instanceof Map<?, ?> m && m.get("required") instanceof List<?> r) {
                    required.addAll(r);
                }
            });
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        ((Map<String, Object>) schema.getOrDefault("properties", Map.of())).forEach((name, p) -> {
            Map<String, Object> listed = name.equals(ErrorResult.KEY) ? errorShape() : field((Map<String, Object>) p);
            if (!listed.isEmpty() || required.contains(name)) {
                properties.put(name, listed);
            }
        });
        out.put("properties", properties);
        for (String key : List.of("required", "anyOf")) {
            if (schema.containsKey(key)) {
                out.put(key, schema.get(key));
            }
        }
        return out;
    }

    /** A field as listed: its values when it has a fixed few (their type says itself), its title when it has one. */
    private static Map<String, Object> field(Map<String, Object> p) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (p.containsKey("title")) {
            out.put("title", p.get("title"));
        }
        if (p.containsKey("enum")) {
            out.put("enum", p.get("enum"));
        }
        return out;
    }

    private static Map<String, Object> errorShape() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "object");
        // the hint is also in the text of every error result, where the model reads it; the message is
        // required (and always a string: the server checks its answers against the full schema)
        error.put("properties", Map.of("code", Map.of("type", "string")));
        error.put("required", List.of("code", "message"));
        return error;
    }
}
