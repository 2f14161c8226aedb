package dev.lifeboat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.mcp.tool.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sessions in examples/jsonrpc stay valid: every request in them is answered. */
class ExampleSessionsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void everyRequestInEveryExampleSessionIsAnswered() throws Exception {
        Path examples = Path.of("..", "examples", "jsonrpc");
        List<Path> sessions;
        try (Stream<Path> files = Files.list(examples)) {
            sessions =
                    files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertThat(sessions).hasSizeGreaterThanOrEqualTo(10);
        try (Fixture f = new Fixture(dir)) {
            String id = f.seed(Instant.parse("2026-03-01T00:00:00Z"), "PGDMP-example", "example");
            for (Path session : sessions) {
                String input =
                        Files.readString(session).replace("__DATABASE__", "app").replace("__BACKUP_ID__", id);
                Set<String> asked = new HashSet<>();
                for (String line : input.split("\n")) {
                    try {
                        JsonNode n = JSON.readTree(line);
                        if (n.has("id") && n.has("method")) {
                            asked.add(n.get("id").asString());
                        }
                    } catch (RuntimeException malformed) {
                        // 09-errors.jsonl holds a malformed line on purpose
                    }
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                McpServerRunner.serveStdio(
                        Tools.all(f.service),
                        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                        out,
                        Duration.ofSeconds(60));
                Set<String> answered = new HashSet<>();
                for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                    JsonNode n = JSON.readTree(line);
                    if (n.has("id") && !n.get("id").isNull()) {
                        answered.add(n.get("id").asString());
                    }
                }
                assertThat(answered).as(session.getFileName().toString()).containsAll(asked);
                if (session.getFileName().toString().contains("stateless")) {
                    // the delete waits for the person's answer: a form and a sealed state, no token
                    assertThat(out.toString(StandardCharsets.UTF_8))
                            .contains("\"resultType\":\"input_required\"")
                            .contains("\"requestState\"")
                            .doesNotContain("lbc1.");
                }
            }
            // the plans in the sessions changed nothing
            assertThat(f.service.get(id, null).manifest().id()).isEqualTo(id);
        }
    }
}
