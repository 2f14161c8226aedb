package dev.lifeboat.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.config.ConfigLoader;
import dev.lifeboat.core.config.LifeboatConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The exported CronJobs, parsed back as Kubernetes would read them. */
class KubernetesCronJobsTest {
    @TempDir
    Path dir;

    private LifeboatConfig config() throws IOException {
        Path f = dir.resolve("lifeboat.yaml");
        Files.writeString(f, """
                databases:
                  api: {user: backup, password_env: API_DB_PASSWORD}
                  idp: {user: backup, password_env: IDP_DB_PASSWORD}
                sets:
                  shop: {members: [api, idp]}
                stores:
                  local: {uri: "file:///var/backups/lifeboat"}
                  offsite:
                    uri: "s3://bucket/lifeboat?region=eu-west-1"
                    access_key_id_env: S3_KEY_ID
                    secret_access_key_env: S3_SECRET
                defaults: {store: local}
                notify:
                  ops: {webhook: "https://hooks.example.com/T0KEN", secret_env: HOOK_SECRET}
                schedules:
                  nightly: {cron: "15 2 * * *", time_zone: Europe/Berlin, set: shop, copy_to: offsite}
                  idp-hourly: {cron: "@hourly", time_zone: UTC, database: idp}
                """);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return new ConfigLoader(Map.of("HOME", dir.toString())).load(f);
    }

    private static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            it.forEachRemaining(docs::add);
        }
        return docs;
    }

    @Test
    void eachScheduleIsACronJobThatForbidsOverlapAndReadsTheConfigMapAndSecret() throws IOException {
        LifeboatConfig c = config();
        String yaml = new KubernetesCronJobs(
                        "registry.example.com/lifeboat:0.1.0", "lifeboat-config", "lifeboat-env", "backups")
                .render(c, List.copyOf(c.schedules().values()));
        List<JsonNode> docs = documents(yaml);
        assertThat(docs).hasSize(2);

        JsonNode nightly = docs.get(0);
        assertThat(nightly.at("/apiVersion").asString()).isEqualTo("batch/v1");
        assertThat(nightly.at("/kind").asString()).isEqualTo("CronJob");
        assertThat(nightly.at("/metadata/name").asString()).isEqualTo("lifeboat-nightly");
        assertThat(nightly.at("/metadata/namespace").asString()).isEqualTo("backups");
        assertThat(nightly.at("/spec/schedule").asString()).isEqualTo("15 2 * * *");
        assertThat(nightly.at("/spec/timeZone").asString()).isEqualTo("Europe/Berlin");
        assertThat(nightly.at("/spec/concurrencyPolicy").asString()).isEqualTo("Forbid");
        JsonNode pod = nightly.at("/spec/jobTemplate/spec/template/spec");
        assertThat(pod.at("/restartPolicy").asString()).isEqualTo("Never");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/image").asString()).isEqualTo("registry.example.com/lifeboat:0.1.0");
        assertThat(container.at("/args").toString())
                .isEqualTo("[\"schedule\",\"run-once\",\"nightly\",\"--config\",\"/etc/lifeboat/lifeboat.yaml\"]");
        assertThat(container.at("/volumeMounts/0/mountPath").asString()).isEqualTo("/etc/lifeboat");
        assertThat(pod.at("/volumes/0/configMap/name").asString()).isEqualTo("lifeboat-config");
        assertThat(pod.at("/volumes/0/configMap/defaultMode").asInt()).isEqualTo(0400);
        // every variable the run reads, each from the Secret under its own name, and nothing inline
        List<String> names = new ArrayList<>();
        for (JsonNode e : container.at("/env")) {
            names.add(e.at("/name").asString());
            assertThat(e.at("/valueFrom/secretKeyRef/name").asString()).isEqualTo("lifeboat-env");
            assertThat(e.at("/valueFrom/secretKeyRef/key").asString())
                    .isEqualTo(e.at("/name").asString());
            assertThat(e.has("value")).isFalse();
        }
        assertThat(names)
                .containsExactly("API_DB_PASSWORD", "HOOK_SECRET", "IDP_DB_PASSWORD", "S3_KEY_ID", "S3_SECRET");

        JsonNode hourly = docs.get(1);
        assertThat(hourly.at("/spec/schedule").asString()).isEqualTo("0 * * * *");
        assertThat(hourly.at("/spec/timeZone").asString()).isEqualTo("UTC");
        List<String> hourlyNames = new ArrayList<>();
        hourly.at("/spec/jobTemplate/spec/template/spec/containers/0/env")
                .forEach(e -> hourlyNames.add(e.at("/name").asString()));
        assertThat(hourlyNames).containsExactly("HOOK_SECRET", "IDP_DB_PASSWORD");
        assertThat(yaml).doesNotContain("T0KEN");
    }
}
