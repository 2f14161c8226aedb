package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonTest {
    record Sample(String backupId, Instant createdAt, long sizeBytes) {}

    @Test
    void writesSnakeCaseNamesAndIsoInstants() {
        String json = Json.write(new Sample("app-1", Instant.parse("2026-11-22T07:12:00Z"), 42));
        JsonNode node = dev.lifeboat.core.base.Json.mapper().readTree(json);
        assertThat(node.get("backup_id").asString()).isEqualTo("app-1");
        assertThat(node.get("created_at").asString()).isEqualTo("2026-11-22T07:12:00Z");
        assertThat(node.get("size_bytes").asLong()).isEqualTo(42);
    }
}
