package dev.lifeboat.mcp.transport;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a POST body before the SDK does, to learn which JSON-RPC messages it holds: which tool a
 * {@code tools/call} names and with what arguments, which request a {@code notifications/cancelled}
 * names. Best effort by design: a body that does not parse yields no messages, and the SDK answers it
 * (the dispatcher still checks the scope of whatever the SDK does run).
 */
final class JsonRpcPeek {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonRpcPeek() {}

    /** One message of the body, as far as the HTTP filter needs to know it. */
    record Message(String method, Object id, JsonNode params) {
        boolean isToolCall() {
            return "tools/call".equals(method);
        }

        boolean isCancellation() {
            return "notifications/cancelled".equals(method);
        }

        boolean isInitialize() {
            return "initialize".equals(method);
        }

        /** The tool a {@code tools/call} names, or null. */
        String tool() {
            return params.path("name").isString() ? params.path("name").asString() : null;
        }

        /** The arguments of a {@code tools/call}: empty unless they are an object. */
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments() {
            JsonNode args = params.get("arguments");
            if (args == null || !args.isObject()) {
                return Map.of();
            }
            return JSON.convertValue(args, Map.class);
        }

        /** The request a {@code notifications/cancelled} names, or null. */
        Object cancelledRequestId() {
            return idOf(params.get("requestId"));
        }
    }

    /**
     * The whole body, at most {@code max} bytes (413 beyond). {@link RequestLimitHandler} has already
     * read it into memory, refusing larger and slow ones, so this never waits on the client; the bound
     * here holds whatever sits in front.
     */
    static byte[] body(HttpServletRequest request, int max) throws IOException, HttpRejection {
        if (request.getContentLengthLong() > max) {
            throw new HttpRejection(413, "too_large", "the request body is too large", null);
        }
        byte[] body = request.getInputStream().readNBytes(max + 1);
        if (body.length > max) {
            throw new HttpRejection(413, "too_large", "the request body is too large", null);
        }
        return body;
    }

    /** The messages of a single message or a batch; none when the body is not JSON. */
    static List<Message> messages(byte[] body) {
        List<JsonNode> nodes = new ArrayList<>();
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isArray()) {
                n.forEach(nodes::add);
            } else if (n != null && n.isObject()) {
                nodes.add(n);
            }
        } catch (RuntimeException e) {
            // malformed bodies are the SDK's to answer; there is nothing to authorise in them
        }
        return nodes.stream()
                .map(m -> new Message(text(m.get("method")), idOf(m.get("id")), m.path("params")))
                .toList();
    }

    /** A JSON-RPC id as the SDK keys it: a number as a long, a string as itself; anything else null. */
    static Object idOf(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        if (id.isIntegralNumber()) {
            return id.asLong();
        }
        return id.isString() ? id.asString() : null;
    }

    private static String text(JsonNode n) {
        return n != null && n.isString() ? n.asString() : null;
    }
}
