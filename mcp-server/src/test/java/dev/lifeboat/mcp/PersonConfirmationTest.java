package dev.lifeboat.mcp;

import static dev.lifeboat.mcp.McpResults.errorCode;
import static dev.lifeboat.mcp.McpResults.structured;
import static dev.lifeboat.mcp.McpResults.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confirmation a model cannot give itself: a client that declares form elicitation gets the plan shown
 * to the person (through {@code elicitation/create}), who types what it acts on; the server then runs
 * the plan with the token it kept. The model sees the outcome only, never a token. Over Streamable
 * HTTP, legacy SSE and stdio (a spawned server), with the Java SDK client.
 */
class PersonConfirmationTest {
    private static final String[] TRANSPORTS = {"http", "sse", "stdio"};

    @TempDir
    Path dir;

    /** The forms the person was shown. */
    private final List<McpSchema.ElicitFormRequest> forms = Collections.synchronizedList(new ArrayList<>());

    private Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> person(
            McpSchema.ElicitResult.Action action, Function<McpSchema.ElicitFormRequest, String> typed) {
        return form -> {
            forms.add(form);
            return action == McpSchema.ElicitResult.Action.ACCEPT
                    ? new McpSchema.ElicitResult(action, Map.of(PersonConfirmation.FIELD, typed.apply(form)))
                    : new McpSchema.ElicitResult(action, null);
        };
    }

    @Test
    void thePersonTypesTheBackupIdAndTheServerDeletesItWithoutTheModelEverHoldingAToken() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < TRANSPORTS.length; i++) {
                ids.add(f.seed(Instant.parse("2026-03-0" + (i + 1) + "T00:00:00Z"), "PGDMP-" + i, "n" + i));
            }
            f.seed(Instant.parse("2026-03-09T00:00:00Z"), "PGDMP-keep", "the newest stays");
            try (McpClients mcp =
                    f.clients(person(McpSchema.ElicitResult.Action.ACCEPT, form -> typedId(form)), TRANSPORTS)) {
                for (int i = 0; i < TRANSPORTS.length; i++) {
                    String id = ids.get(i);
                    McpSchema.CallToolResult done = mcp.call(TRANSPORTS[i], "delete_backup", Map.of("backup_id", id));
                    assertThat(done.isError()).as(text(done)).isFalse();
                    assertThat(structured(done)).containsEntry("status", "deleted");
                    assertThatThrownBy(() -> f.service.get(id, null)).hasMessageContaining(id);
                }
                assertThat(forms).hasSize(TRANSPORTS.length);
                McpSchema.ElicitFormRequest form = forms.get(0);
                assertThat(form.message())
                        .contains("not the assistant")
                        .contains("Delete backup " + ids.get(0))
                        .contains("type the id of the backup to delete ('" + ids.get(0) + "')");
                assertThat(form.requestedSchema()).containsEntry("required", List.of(PersonConfirmation.FIELD));
                assertNoToken(mcp);
            }
        }
    }

    @Test
    void declinedDismissedOrMistypedChangesNothingAndSaysSo() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            String id = f.seed(Instant.parse("2026-03-01T00:00:00Z"), "PGDMP-a", "keep me");
            f.seed(Instant.parse("2026-03-02T00:00:00Z"), "PGDMP-b", "newer");
            Map<McpSchema.ElicitResult.Action, String> said = Map.of(
                    McpSchema.ElicitResult.Action.DECLINE, "the user declined plan",
                    McpSchema.ElicitResult.Action.CANCEL, "without answering");
            for (var e : said.entrySet()) {
                try (McpClients mcp = f.clients(person(e.getKey(), form -> null), "http")) {
                    McpSchema.CallToolResult no = mcp.call("http", "delete_backup", Map.of("backup_id", id));
                    assertThat(errorCode(no)).isEqualTo("NOT_CONFIRMED");
                    assertThat(text(no)).contains(e.getValue()).contains("nothing was changed");
                    assertNoToken(mcp);
                }
            }
            try (McpClients mcp =
                    f.clients(person(McpSchema.ElicitResult.Action.ACCEPT, form -> "yes"), "http", "stdio")) {
                for (String transport : List.of("http", "stdio")) {
                    McpSchema.CallToolResult no = mcp.call(transport, "delete_backup", Map.of("backup_id", id));
                    assertThat(errorCode(no)).isEqualTo("NOT_CONFIRMED");
                    assertThat(text(no))
                            .contains("did not match the id of the backup to delete ('" + id + "')")
                            .contains("Hint: ");
                    assertNoToken(mcp);
                }
            }
            assertThat(f.service.get(id, null).manifest().id()).isEqualTo(id);
        }
    }

    @Test
    void aPruneIsDeclinedWithNothingRemovedThenConfirmedByItsPlanIdAndRemovesWhatItListed() throws Exception {
        try (Fixture f = new Fixture(dir, c -> c.database("app", db -> db.retention("keep_last", 1)))) {
            String old = f.seed(Instant.parse("2026-03-01T00:00:00Z"), "PGDMP-old", "old");
            String newest = f.seed(Instant.parse("2026-03-02T00:00:00Z"), "PGDMP-new", "newest");
            try (McpClients mcp = f.clients(person(McpSchema.ElicitResult.Action.DECLINE, form -> null), "http")) {
                McpSchema.CallToolResult no = mcp.call("http", "prune_backups", Map.of("database", "app"));
                assertThat(errorCode(no)).isEqualTo("NOT_CONFIRMED");
                assertThat(text(no)).contains("the user declined plan").contains("nothing was changed");
                assertNoToken(mcp);
            }
            assertThat(f.service.get(old, null).manifest().id()).isEqualTo(old);
            try (McpClients mcp =
                    f.clients(person(McpSchema.ElicitResult.Action.ACCEPT, form -> typedId(form)), "http")) {
                McpSchema.CallToolResult done = mcp.call("http", "prune_backups", Map.of("database", "app"));
                assertThat(done.isError()).as(text(done)).isFalse();
                assertThat(structured(done)).containsEntry("status", "pruned");
                assertNoToken(mcp);
            }
            assertThat(forms).hasSize(2);
            assertThat(forms.get(1).message())
                    .contains("not the assistant")
                    .contains("Prune removes 1 backup(s)")
                    .as("the person sees which backups go, as the plan's words name them")
                    .contains("- " + old)
                    .doesNotContain(newest)
                    .contains("type the plan id");
            assertThatThrownBy(() -> f.service.get(old, null)).hasMessageContaining(old);
            assertThat(f.service.get(newest, null).manifest().id()).isEqualTo(newest);
        }
    }

    @Test
    void formElicitationIsWhatAnEmptyOrFormCapabilityDeclaresNotAUrlOnlyOne() {
        McpSchema.ClientCapabilities.Elicitation.Form form = new McpSchema.ClientCapabilities.Elicitation.Form();
        McpSchema.ClientCapabilities.Elicitation.Url url = new McpSchema.ClientCapabilities.Elicitation.Url();
        assertThat(PersonConfirmation.supported((McpSchema.ClientCapabilities) null))
                .isFalse();
        assertThat(PersonConfirmation.supported(
                        McpSchema.ClientCapabilities.builder().build()))
                .as("no elicitation: the token flow")
                .isFalse();
        assertThat(PersonConfirmation.supported(
                        McpSchema.ClientCapabilities.builder().elicitation().build()))
                .as("elicitation: {} (2025-06-18, and form in 2025-11-25)")
                .isTrue();
        assertThat(PersonConfirmation.supported(McpSchema.ClientCapabilities.builder()
                        .elicitation(new McpSchema.ClientCapabilities.Elicitation(form, url))
                        .build()))
                .isTrue();
        assertThat(PersonConfirmation.supported(McpSchema.ClientCapabilities.builder()
                        .elicitation(new McpSchema.ClientCapabilities.Elicitation(null, url))
                        .build()))
                .as("URL mode only: no form to type into")
                .isFalse();
    }

    /** The id the form asks for, read from its message as a person would. */
    private static String typedId(McpSchema.ElicitFormRequest form) {
        String m = form.message();
        int at = m.indexOf("('") + 2;
        return m.substring(at, m.indexOf("')", at));
    }

    /** Nothing the model was sent (results, logs, progress) holds a token or says confirm_token. */
    private static void assertNoToken(McpClients mcp) {
        String seen = String.join("\n", mcp.seen);
        assertThat(seen).doesNotContain("lbc1.").doesNotContain("confirm_token").doesNotContain("token=");
    }
}
