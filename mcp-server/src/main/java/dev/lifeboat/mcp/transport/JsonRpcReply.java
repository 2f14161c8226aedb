package dev.lifeboat.mcp.transport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON-RPC replies a transport writes itself rather than through the SDK (stdio's ping and refusals,
 * task requests, sanitized HTTP errors): {@code jsonrpc}, {@code id}, then {@code result} or
 * {@code error}, in ordered maps so that the same reply is the same bytes on every server start.
 */
final class JsonRpcReply {
    private JsonRpcReply() {}

    /** {@code {"jsonrpc": "2.0", "id": id, "result": result}}. */
    static Map<String, Object> result(Object id, Object result) {
        Map<String, Object> reply = envelope(id);
        reply.put("result", result);
        return reply;
    }

    /** {@code {"jsonrpc": "2.0", "id": id, "error": {code, message, data}}}; {@code data} left out when null. */
    static Map<String, Object> error(Object id, int code, String message, Object data) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.put("data", data);
        }
        Map<String, Object> reply = envelope(id);
        reply.put("error", error);
        return reply;
    }

    private static Map<String, Object> envelope(Object id) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("jsonrpc", "2.0");
        reply.put("id", id);
        return reply;
    }
}
