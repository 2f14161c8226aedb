package dev.lifeboat.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.Json;
import dev.lifeboat.core.engine.ServerInfo;
import dev.lifeboat.core.engine.TableSummary;
import dev.lifeboat.core.testing.FilledRecords;
import dev.lifeboat.core.testing.SampleManifest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The manifest read from the parser's tokens is the manifest the mapper reads: every manifest Lifeboat
 * writes takes that path and comes back equal, and every unusual one is left to the mapper (so it gets
 * the mapper's value, or the mapper's error) rather than read differently.
 */
class ManifestJsonTest {
    private static final Manifest FULL = new FilledRecords().of(Manifest.class);
    private static final Manifest SAMPLE = SampleManifest.of(BackupId.parse("app-20260101T000000Z-0002"))
            .label("nightly \"quoted\" \u00e9\u00e8 \n tab\t")
            .tables(new TableSummary("public", "t", 3, false), new TableSummary("sch\u00e9ma", "u", -1, true))
            .server(new ServerInfo("db.example", 5432, "app", "me", "15.19", 15))
            .build();
    private static final Manifest SPARSE =
            SampleManifest.sparse(1, "app-20260101T000000Z-0001", Instant.parse("2026-01-01T00:00:00.123456789Z"));

    /** What the mapper makes of {@code json}: the manifest, or the class of what it threw. */
    private static Object mapper(String json) {
        try {
            return Json.mapper().readValue(json.getBytes(StandardCharsets.UTF_8), Manifest.class);
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static Manifest tokens(String json) {
        return ManifestJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String written(Manifest m, boolean pretty) {
        return pretty
                ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(m)
                : Json.mapper().writeValueAsString(m);
    }

    /** {@code m} as the mapper writes it, then changed by {@code edit}. */
    private static String edited(Manifest m, Consumer<ObjectNode> edit) {
        ObjectNode node = (ObjectNode) Json.mapper().readTree(written(m, false));
        edit.accept(node);
        return Json.mapper().writeValueAsString(node);
    }

    @Test
    void everyManifestLifeboatWritesIsReadWithoutTheMapperAndComesBackEqual() {
        for (Manifest m : List.of(FULL, SAMPLE, SPARSE, FULL.withSet(null).withRoles(null))) {
            for (boolean pretty : List.of(true, false)) {
                String json = written(m, pretty);
                assertThat(tokens(json)).as(json).isNotNull().isEqualTo(m).isEqualTo(mapper(json));
            }
        }
        assertThat(FULL.directory().excludes()).isNotEmpty();
        assertThat(FULL.encryption().recipients()).isNotEmpty();
    }

    @Test
    void aManifestIsWrittenByteForByteAsTheMappersPrettyPrinterWroteIt() {
        for (Manifest m : List.of(FULL, SAMPLE, SPARSE, FULL.withSet(null).withRoles(null))) {
            assertThat(new String(ManifestJson.write(m), StandardCharsets.UTF_8))
                    .isEqualTo(written(m, true));
            assertThat(ManifestJson.read(ManifestJson.write(m))).isEqualTo(m);
        }
    }

    @Test
    void fieldsThisVersionDoesNotKnowAreSkippedAsTheMapperSkipsThem() {
        String json = edited(FULL, n -> {
            n.putObject("future").put("x", 1).putArray("y").add(1).addObject().put("z", "w");
            n.putArray("later").add("a").addArray().add(2);
            n.put("format_version", 9);
            ((ObjectNode) n.get("server")).put("tls", true);
            ((ObjectNode) n.get("tables").get(0)).putObject("extra").put("k", "v");
        });
        assertThat(tokens(json)).isNotNull().isEqualTo(mapper(json));
    }

    @Test
    void anythingUnusualIsLeftToTheMapper() {
        List<String> unusual = new ArrayList<>();
        unusual.add(edited(SAMPLE, n -> n.put("size_bytes", "123")));
        unusual.add(edited(SAMPLE, n -> n.put("size_bytes", 1.0)));
        unusual.add(edited(SAMPLE, n -> n.putNull("size_bytes")));
        unusual.add(
                edited(SAMPLE, n -> n.put("size_bytes", new java.math.BigInteger("123456789012345678901234567890"))));
        unusual.add(edited(SAMPLE, n -> n.putNull("label")));
        unusual.add(edited(SAMPLE, n -> n.put("label", 5)));
        unusual.add(edited(SAMPLE, n -> n.put("label", true)));
        unusual.add(edited(SAMPLE, n -> n.putObject("tags").put("a", 1)));
        unusual.add(edited(SAMPLE, n -> n.putObject("tags").putNull("a")));
        unusual.add(edited(SAMPLE, n -> n.put("created_at", 1700000000)));
        unusual.add(edited(SAMPLE, n -> n.put("created_at", "")));
        unusual.add(edited(SAMPLE, n -> n.put("created_at", "yesterday")));
        unusual.add(edited(SAMPLE, n -> ((ObjectNode) n.get("server")).put("port", "5432")));
        unusual.add(edited(SAMPLE, n -> ((ObjectNode) n.get("server")).put("port", 99_999_999_999L)));
        unusual.add(edited(SAMPLE, n -> ((ObjectNode) n.get("tables").get(0)).put("exact", "true")));
        unusual.add(edited(SAMPLE, n -> ((ObjectNode) n.get("tables").get(0)).put("exact", 1)));
        unusual.add(edited(SAMPLE, n -> n.putNull("tables")));
        unusual.add(edited(SAMPLE, n -> n.put("tables", "strange")));
        unusual.add(edited(SAMPLE, n -> n.putArray("tables").add(1)));
        unusual.add(edited(SAMPLE, n -> n.putObject("encryption").put("format", "age")));
        unusual.add(edited(
                SAMPLE, n -> n.putObject("encryption").put("format", "age").putNull("recipients")));
        unusual.add(edited(
                SAMPLE,
                n -> n.putObject("encryption")
                        .put("format", "age")
                        .putArray("recipients")
                        .addNull()));
        unusual.add(edited(FULL, n -> ((ObjectNode) n.get("directory")).putNull("excludes")));
        unusual.add(edited(
                FULL,
                n -> ((ObjectNode) n.get("roles")).putArray("names").add("a").addNull()));
        unusual.add(edited(SAMPLE, n -> n.put("format_version", 3).put("tables", "of a newer kind")));
        String plain = written(SAMPLE, false);
        unusual.add(plain.replaceFirst("\\{", "{\"id\":\"app-20260101T000000Z-0009\","));
        unusual.add(plain + " {}");
        unusual.add(plain + " x");
        unusual.add("[" + plain + "]");
        unusual.add(plain.substring(0, plain.length() / 2));
        unusual.add("");
        unusual.add("null");
        for (String json : unusual) {
            assertThat(tokens(json)).as(json).isNull();
        }
    }

    @Test
    void aTimeWrittenAnotherWayReadsAsTheMapperReadsIt() {
        for (String time : List.of(
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:00+01:00",
                "2026-01-01T00:00:00.5-02:30",
                "2026-01-01T00:00Z")) {
            String json = edited(SAMPLE, n -> n.put("created_at", time).put("finished_at", time));
            Manifest fast = tokens(json);
            Object slow = mapper(json);
            if (fast != null) {
                assertThat(fast).as(json).isEqualTo(slow);
            } else {
                assertThat(slow).as("left to the mapper: " + json).isNotNull();
            }
        }
    }
}
