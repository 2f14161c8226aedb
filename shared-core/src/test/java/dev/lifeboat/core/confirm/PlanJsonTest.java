package dev.lifeboat.core.confirm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link PlanJson} reads what the mapper reads from every plan Lifeboat writes, and leaves the rest to it. */
class PlanJsonTest {
    private static final PlanBinding RESTORE =
            new PlanBinding("restore", "app-20261206T184541Z-4307", "b18a22", "127.0.0.1:5432/app", "replace");

    private static Confirmations.StoredPlan plan(PlanBinding binding, boolean approval, String summary) {
        return new Confirmations.StoredPlan(
                "0ec014decb5965a76534",
                binding,
                Instant.parse("2026-12-06T18:58:17.334013054Z"),
                Instant.parse("2026-12-06T19:03:17Z"),
                approval,
                summary);
    }

    @Test
    void everyPlanTheMapperWritesReadsAsTheMapperReadsIt() {
        for (Confirmations.StoredPlan written : new Confirmations.StoredPlan[] {
            plan(RESTORE, false, null),
            plan(RESTORE, true, "Restore backup … über \"app\"\nline two"),
            plan(new PlanBinding("prune", "", "f00d", "main", "delete"), false, null),
            plan(new PlanBinding("delete", "app-1", "", "dir:/srv/app", "delete"), true, "")
        }) {
            byte[] bytes = Json.mapper().writeValueAsBytes(written);

            Confirmations.StoredPlan read = PlanJson.read(bytes);

            assertThat(read)
                    .isEqualTo(written)
                    .isEqualTo(Json.mapper().readValue(bytes, Confirmations.StoredPlan.class));
        }
    }

    @Test
    void shapesItWasNotWrittenInAreLeftToTheMapper() {
        String binding =
                "{\"operation\":\"restore\",\"backup_id\":\"a\",\"sha256\":\"b\",\"target\":\"t\",\"mode\":\"m\"}";
        String[] unusual = {
            "{\"plan_id\":\"p\",\"binding\":" + binding + ",\"operator_approval\":false,\"summary\":null}",
            "{\"plan_id\":\"p\",\"binding\":" + binding + ",\"operator_approval\":\"false\"}",
            "{\"plan_id\":\"p\",\"plan_id\":\"q\",\"binding\":" + binding + ",\"operator_approval\":false}",
            "{\"plan_id\":\"p\",\"binding\":" + binding + ",\"operator_approval\":false,\"extra\":1}",
            "{\"plan_id\":\"p\",\"binding\":" + binding.replace("\"mode\"", "\"other\"")
                    + ",\"operator_approval\":false}",
            "{\"plan_id\":\"p\",\"binding\":" + binding + ",\"issued_at\":\"yesterday\",\"operator_approval\":false}",
            "{\"plan_id\":\"p\",\"operator_approval\":false}",
            "{\"plan_id\":\"p\",\"binding\":" + binding + ",\"operator_approval\":false} {}",
            "{\"plan_id\":\"p\",\"binding\":" + binding,
            "[]",
            ""
        };
        for (String text : unusual) {
            assertThat(PlanJson.read(text.getBytes(StandardCharsets.UTF_8)))
                    .as(text)
                    .isNull();
        }
    }
}
