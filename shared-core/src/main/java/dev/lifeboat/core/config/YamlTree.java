package dev.lifeboat.core.config;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * A YAML document as the tree {@code new YAMLMapper().readTree(text)} returns, built straight from the
 * YAML parser's tokens. Every command reads {@code lifeboat.yaml} first, and building a YAMLMapper (the
 * whole of Jackson's object mapping, set up for one small tree) was a fifth of a short command's
 * start-up; a listing uses no other mapper. Only the shapes a configuration has are built here
 * (mappings with distinct keys, sequences, strings, booleans, nulls, whole numbers that fit a long);
 * anything else (an empty document, anything but a mapping at the top, a repeated key, a float, a big
 * number, an alias, binary, a second document, a syntax error) goes to the mapper, so the tree and every
 * error message stay the mapper's own ({@code YamlTreeTest} compares both on every YAML file of the
 * project).
 */
public final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {}

    /** The tree of {@code text}, equal to {@code new YAMLMapper().readTree(text)}, node types included. */
    public static JsonNode read(String text) {
        JsonNode plain = plain(text);
        return plain != null ? plain : new YAMLMapper().readTree(text);
    }

    /** The tree when the document is a plain mapping; null when the mapper must decide. */
    static JsonNode plain(String text) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonNode root = value(p, 0);
            // a second document or anything after the first: the mapper's rule, not ours
            return root != null && p.nextToken() == null ? root : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The value at the current token, or null for a shape left to the mapper. */
    private static JsonNode value(JsonParser p, int depth) {
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            return null;
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (p.currentToken()) {
            case START_OBJECT -> object(p, depth);
            case START_ARRAY -> array(p, depth);
            case VALUE_STRING -> nodes.stringNode(p.getString());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            case VALUE_NUMBER_INT ->
                switch (p.getNumberType()) {
                    case INT -> nodes.numberNode(p.getIntValue());
                    case LONG -> nodes.numberNode(p.getLongValue());
                    default -> null;
                };
            default -> null;
        };
    }

    private static ObjectNode object(JsonParser p, int depth) {
        // far deeper than any configuration: leave the deep end to the mapper, whose limits are its own
        if (depth > 64) {
            return null;
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            if (node.has(key)) {
                return null;
            }
            p.nextToken();
            JsonNode v = value(p, depth + 1);
            if (v == null) {
                return null;
            }
            node.set(key, v);
        }
        return p.currentToken() == JsonToken.END_OBJECT ? node : null;
    }

    private static ArrayNode array(JsonParser p, int depth) {
        if (depth > 64) {
            return null;
        }
        ArrayNode node = JsonNodeFactory.instance.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) {
                return null;
            }
            JsonNode v = value(p, depth + 1);
            if (v == null) {
                return null;
            }
            node.add(v);
        }
        return node;
    }
}
