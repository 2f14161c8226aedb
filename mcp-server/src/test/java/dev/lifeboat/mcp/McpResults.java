package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * Reading a tool result as a client sees it: its structured content, the error code of an
 * {@code isError} result, the confirmation a destructive plan asks for, its text. Each accessor asserts
 * what it relies on, with the whole result in the message, so a test fails where the answer was wrong.
 */
final class McpResults {
    private McpResults() {}

    /** The structured content (asserted present). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(McpSchema.CallToolResult r) {
        assertThat(r.structuredContent()).as(String.valueOf(r)).isNotNull();
        return (Map<String, Object>) r.structuredContent();
    }

    /** {@code r}, asserted not to be an error. */
    static McpSchema.CallToolResult ok(McpSchema.CallToolResult r) {
        assertThat(r.isError()).as(String.valueOf(r)).isFalse();
        return r;
    }

    /** The {@code error.code} of an error result (asserted to be one). */
    static String errorCode(McpSchema.CallToolResult r) {
        assertThat(r.isError()).as(String.valueOf(r)).isTrue();
        return (String) map(structured(r).get("error")).get("code");
    }

    /** The {@code confirmation} a plan asks for: token, plan id, expiry, whether an operator must approve. */
    static Map<String, Object> confirmation(McpSchema.CallToolResult r) {
        Map<String, Object> confirmation = map(structured(r).get("confirmation"));
        assertThat(confirmation).as(String.valueOf(r)).isNotNull();
        return confirmation;
    }

    /** The confirmation token a plan carries. */
    static String token(McpSchema.CallToolResult r) {
        return (String) confirmation(r).get("token");
    }

    /** The first text content: what a model reads. */
    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    /** A JSON object inside structured content. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /** A JSON array inside structured content. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
