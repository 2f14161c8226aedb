package dev.lifeboat.mcp.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * tools/list and the answers are byte-stable between server starts: every map with more than one key
 * keeps its insertion order ({@code Map.of}'s iteration order changes from one JVM start to the next).
 */
class SchemaOrderTest {
    @Test
    void theErrorShapeListsTypeBeforeDescriptionInAFixedOrder() {
        Map<String, Object> error = ErrorResult.schema();
        assertThat(error.keySet()).containsExactly("type", "description", "properties", "required");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) error.get("properties");
        assertThat(properties.keySet()).containsExactly("code", "message", "hint");
        for (Map<String, Object> property : properties.values()) {
            assertThat(property.keySet()).containsExactly("type", "description");
        }
    }

    @Test
    void everyOutputSchemaMapOfSeveralKeysIsOrdered() {
        List<String> unordered = new ArrayList<>();
        for (LifeboatTool tool : Tools.all(null)) {
            collectUnordered(tool.definition().name(), tool.definition().outputSchema(), unordered);
        }
        collectUnordered("stringMap", Schema.stringMap("d", 3), unordered);
        assertThat(unordered).isEmpty();
    }

    @Test
    void anAnswersFieldsKeepTheOrderTheyAreGivenIn() {
        Map<String, Object> fields = Json.fields("check", "store", "message", "m", "next", "n", "at", "t", "code", "c");

        assertThat(fields.keySet()).containsExactly("check", "message", "next", "at", "code");
        assertThat(Json.write(fields))
                .isEqualTo("{\"check\":\"store\",\"message\":\"m\",\"next\":\"n\",\"at\":\"t\",\"code\":\"c\"}");
    }

    private static void collectUnordered(String where, Object value, List<String> unordered) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() > 1 && !(map instanceof LinkedHashMap)) {
                unordered.add(where + " " + map.keySet());
            }
            map.forEach((k, v) -> collectUnordered(where + "." + k, v, unordered));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collectUnordered(where + "[]", v, unordered));
        }
    }
}
