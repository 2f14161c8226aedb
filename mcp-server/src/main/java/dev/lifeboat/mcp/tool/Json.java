package dev.lifeboat.mcp.tool;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/** Turns the service's records into the snake_case JSON objects the output schemas describe. */
public final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
            .build();

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private Json() {}

    /**
     * An object with these keys and values in this order ({@code key1, value1, key2, value2, ...}):
     * what an answer builds instead of {@code Map.of}, whose order changes from one JVM start to the
     * next, so the same answer is the same bytes.
     */
    public static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static Map<String, Object> object(Object value) {
        return MAPPER.convertValue(value, MAP);
    }

    /** Quotes outside text (labels, tags, object names) so a summary shows it as data. */
    public static String quote(String text) {
        return text == null ? "null" : MAPPER.writeValueAsString(text);
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
