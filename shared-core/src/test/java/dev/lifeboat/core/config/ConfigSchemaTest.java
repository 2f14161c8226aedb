package dev.lifeboat.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.store.BackupStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docs/lifeboat.schema.json, the JSON Schema editors use for lifeboat.yaml: every configuration
 * example in the docs, the README and examples/ passes it, examples/lifeboat.yaml is also accepted by
 * Lifeboat's own loader (so the schema does not invent settings), and it refuses what the loader
 * refuses by shape (an unknown setting, a misspelt choice, two kinds in one target).
 */
class ConfigSchemaTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern YAML_BLOCK = Pattern.compile("(?ms)^( *)```yaml\\n(.*?)^\\1```");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @TempDir
    Path dir;

    private static Schema schema() throws IOException {
        try (InputStream in = Files.newInputStream(ROOT.resolve("docs/lifeboat.schema.json"))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in);
        }
    }

    private static List<String> errors(Schema schema, JsonNode config) {
        return schema.validate(config).stream()
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
                .toList();
    }

    /** Every fenced YAML block of the docs and the README that is (part of) a lifeboat.yaml. */
    private static Map<String, JsonNode> examples() throws IOException {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        try (Stream<Path> ex = Files.walk(ROOT.resolve("examples"))) {
            ex.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        for (Path f : files) {
            Matcher m = YAML_BLOCK.matcher(Files.readString(f));
            int n = 0;
            while (m.find()) {
                n++;
                JsonNode node = YAML.readTree(m.group(2).replace("\n" + m.group(1), "\n"));
                // a fenced YAML block whose top-level keys are all sections of lifeboat.yaml is a config example
                if (node != null && node.isObject() && ConfigLoader.SECTIONS.containsAll(node.propertyNames())) {
                    out.put(ROOT.relativize(f) + " block " + n, node);
                }
            }
        }
        try (Stream<Path> ex = Files.walk(ROOT.resolve("examples"))) {
            for (Path f : ex.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList()) {
                out.put(ROOT.relativize(f).toString(), YAML.readTree(Files.readString(f)));
            }
        }
        return out;
    }

    @Test
    void theSchemaIsValidJsonSchema() throws IOException {
        JsonNode s = Json.mapper().readTree(Files.readString(ROOT.resolve("docs/lifeboat.schema.json")));
        assertThat(s.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(s.get("properties").propertyNames()).containsExactlyInAnyOrderElementsOf(ConfigLoader.SECTIONS);
        // the metaschema's own check
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(com.networknt.schema.SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(meta.validate(s)).isEmpty();
    }

    @Test
    void everyConfigExampleInTheDocsAndExamplesPasses() throws IOException {
        Schema schema = schema();
        Map<String, JsonNode> examples = examples();
        assertThat(examples.size())
                .as("config examples found: " + examples.keySet())
                .isGreaterThanOrEqualTo(20);
        assertThat(examples).containsKey("examples/lifeboat.yaml");
        examples.forEach((where, config) ->
                assertThat(errors(schema, config)).as(where + ":\n" + config).isEmpty());
    }

    @Test
    void theFullExampleIsAcceptedByLifeboatItselfToo() throws IOException {
        Path file = dir.resolve("lifeboat.yaml");
        Files.writeString(
                file,
                Files.readString(ROOT.resolve("examples/lifeboat.yaml"))
                                .replace("/var/backups/lifeboat", dir.toString())
                        + "state_dir: " + dir.resolve("state") + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        LifeboatConfig config = new ConfigLoader(Map.of()).load(file);
        BackupStores.checkSettings(config);
        assertThat(config.databases()).containsKey("app");
        assertThat(config.notifyTargets()).hasSize(4);
        assertThat(config.schedules()).containsKey("nightly");
    }

    @Test
    void whatTheLoaderRefusesByShapeTheSchemaRefusesToo() throws IOException {
        Schema schema = schema();
        assertThat(errors(schema, YAML.readTree("databases: {app: {user: u, pasword_env: X}}")))
                .anySatisfy(e -> assertThat(e).contains("pasword_env"));
        assertThat(errors(schema, YAML.readTree("databases: {app: {sslmode: sometimes}}")))
                .isNotEmpty();
        assertThat(errors(schema, YAML.readTree("notify: {x: {slack: 'https://a/b', teams: 'https://c/d'}}")))
                .isNotEmpty();
        assertThat(errors(schema, YAML.readTree("notify: {x: {webhook: 'https://a/b', events: [exploded]}}")))
                .isNotEmpty();
        assertThat(errors(schema, YAML.readTree("notify: {x: {email: {host: h, starttls: never}}}")))
                .isNotEmpty();
        assertThat(errors(schema, YAML.readTree("schedules: {n: {cron: '@daily', time_zone: UTC}}")))
                .as("a schedule names one source")
                .isNotEmpty();
        assertThat(errors(schema, YAML.readTree("stores: {s: {uri: 'ftp://x'}}")))
                .isNotEmpty();
        assertThat(errors(schema, YAML.readTree("Databases: {}"))).isNotEmpty();
    }
}
