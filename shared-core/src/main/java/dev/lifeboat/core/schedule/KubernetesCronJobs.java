package dev.lifeboat.core.schedule;

import dev.lifeboat.core.config.DatabaseConfig;
import dev.lifeboat.core.config.LifeboatConfig;
import dev.lifeboat.core.config.NotifyTarget;
import dev.lifeboat.core.config.ScheduleConfig;
import dev.lifeboat.core.config.StoreConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Schedules as Kubernetes CronJobs ({@code lifeboat schedule export --kubernetes}), one YAML document
 * each: the schedule's cron in its {@code timeZone}, {@code concurrencyPolicy: Forbid} (no second job
 * while one runs), a container running {@code lifeboat schedule run-once NAME} with lifeboat.yaml
 * mounted from a ConfigMap (mode 0400: Lifeboat refuses a config others can read) and every variable
 * the run reads (each database's {@code password_env}, stores' {@code *_env} credentials and
 * {@code identity_env}, notification {@code secret_env}) from one Secret, key for key. The run marker
 * makes a retried or doubled job skip a slot that has run.
 *
 * @param image the container image holding the {@code lifeboat} launcher and a JDK
 * @param configMap the ConfigMap whose key {@code lifeboat.yaml} is the configuration
 * @param secret the Secret holding the variables, one key per variable name
 * @param namespace the namespace, or null to leave it to {@code kubectl apply -n}
 */
public record KubernetesCronJobs(String image, String configMap, String secret, String namespace) {
    static final String CONFIG_DIR = "/etc/lifeboat";
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .build();

    /** Every schedule of {@code config}, one {@code ---}-separated document each. */
    public String render(LifeboatConfig config, List<ScheduleConfig> schedules) {
        List<String> docs = new ArrayList<>();
        for (ScheduleConfig s : schedules) {
            docs.add("# lifeboat schedule " + s.name() + ": " + s.kind().key() + " " + s.source() + " at '"
                    + s.cron().text() + "' (" + s.cron().zone().getId() + ")\n"
                    + YAML.writeValueAsString(cronJob(config, s)));
        }
        return String.join("---\n", docs);
    }

    private Map<String, Object> cronJob(LifeboatConfig config, ScheduleConfig s) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", SystemdUnits.unitName(s));
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put(
                "labels",
                Map.of("app.kubernetes.io/name", "lifeboat", "app.kubernetes.io/component", "schedule-" + s.name()));

        List<Map<String, Object>> env = new ArrayList<>();
        for (String variable : variables(config, s)) {
            env.add(Map.of(
                    "name", variable, "valueFrom", Map.of("secretKeyRef", Map.of("name", secret, "key", variable))));
        }
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "lifeboat");
        container.put("image", image);
        container.put("args", List.of("schedule", "run-once", s.name(), "--config", CONFIG_DIR + "/lifeboat.yaml"));
        if (!env.isEmpty()) {
            container.put("env", env);
        }
        container.put("volumeMounts", List.of(Map.of("name", "config", "mountPath", CONFIG_DIR, "readOnly", true)));

        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("restartPolicy", "Never");
        pod.put("containers", List.of(container));
        pod.put(
                "volumes",
                List.of(Map.of(
                        "name",
                        "config",
                        "configMap",
                        // 0400: the config must be readable by its owner only
                        Map.of("name", configMap, "defaultMode", 0400))));

        Map<String, Object> job = new LinkedHashMap<>();
        // a failed run is reported (notifications, status); a retry would find the slot taken anyway
        job.put("backoffLimit", 0);
        job.put("template", Map.of("spec", pod));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("schedule", s.cron().fields());
        spec.put("timeZone", s.cron().zone().getId());
        spec.put("concurrencyPolicy", "Forbid");
        spec.put("startingDeadlineSeconds", 3600);
        spec.put("successfulJobsHistoryLimit", 3);
        spec.put("failedJobsHistoryLimit", 3);
        spec.put("jobTemplate", Map.of("spec", job));

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "batch/v1");
        doc.put("kind", "CronJob");
        doc.put("metadata", metadata);
        doc.put("spec", spec);
        return doc;
    }

    /** The environment variables one schedule's run reads, by name. */
    static Set<String> variables(LifeboatConfig config, ScheduleConfig s) {
        Set<String> out = new TreeSet<>();
        List<String> sources = switch (s.kind()) {
            case SET -> config.set(s.source()).members();
            default -> List.of(s.source());
        };
        Set<String> stores = new TreeSet<>(s.copyTo());
        for (String source : sources) {
            DatabaseConfig db = config.databases().get(source);
            if (db != null) {
                if (db.passwordEnv() != null) {
                    out.add(db.passwordEnv());
                }
                stores.add(config.storeFor(db, s.store()).name());
            } else if (config.directories().containsKey(source)) {
                stores.add(config.storeFor(config.directory(source), s.store()).name());
            }
        }
        stores.add(config.store(s.store()).name());
        for (String name : stores) {
            StoreConfig sc = config.store(name);
            sc.options().forEach((k, v) -> {
                if (k.endsWith("_env") && v != null) {
                    out.add(v);
                }
            });
            if (sc.encryption() != null && sc.encryption().identityEnv() != null) {
                out.add(sc.encryption().identityEnv());
            }
        }
        for (NotifyTarget t : config.notifyTargets()) {
            if (t.secretEnv() != null) {
                out.add(t.secretEnv());
            }
            if (t.mail() != null && t.mail().passwordEnv() != null) {
                out.add(t.mail().passwordEnv());
            }
        }
        return out;
    }
}
