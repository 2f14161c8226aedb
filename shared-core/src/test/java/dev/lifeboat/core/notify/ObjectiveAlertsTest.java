package dev.lifeboat.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.testing.LoopbackHttp;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code objective_missed}: a webhook on loopback hears of a source that starts missing its objectives
 * once per change of state, from whichever check finds it ({@code status}, a scheduled run, a second
 * process over the same state directory), never again on every check.
 */
class ObjectiveAlertsTest {
    @TempDir
    Path dir;

    @AutoClose
    private final LoopbackHttp server = LoopbackHttp.start();

    private ServiceOverFakes fakes(String events, String more) {
        return ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .raw("databases: {app: {rpo: 26h}}\nnotify:\n  ops: {webhook: '" + server.url("/hook") + "', events: "
                        + events + "}\n" + more)
                .build();
    }

    private List<String> announced() {
        return server.received().stream()
                .map(LoopbackHttp.Received::json)
                .map(b -> b.get("event").asString() + " " + b.get("source").asString() + " "
                        + (b.has("state") ? b.get("state").asString() : "-"))
                .toList();
    }

    @Test
    void eachChangeIntoAMissedStateIsAnnouncedOnceAndAReturnToOkSilently() {
        try (ServiceOverFakes f = fakes("[objective_missed]", "")) {
            f.service().status();
            f.service().status();
            assertThat(announced()).containsExactly("objective_missed app NEVER");

            f.backup("app");
            f.service().status();
            f.advance(Duration.ofHours(27));
            f.service().status();
            f.service().status();
            assertThat(announced()).containsExactly("objective_missed app NEVER", "objective_missed app LATE");
            JsonNode late = server.received().get(1).json();
            assertThat(late.get("kind").asString()).isEqualTo("database");
            assertThat(late.get("problems").get(0).asString()).contains("rpo is 26h");

            f.engine().unreachable();
            assertThatThrownBy(() -> f.backup("app")).isInstanceOf(LifeboatException.class);
            f.service().status();
            f.service().status();
            assertThat(announced()).hasSize(3).last().isEqualTo("objective_missed app FAILING");
        }
    }

    @Test
    void aSecondProcessOverTheSameStateDirectoryDoesNotAnnounceItAgain() {
        try (ServiceOverFakes f = fakes("[objective_missed]", "")) {
            f.service().status();
        }
        try (ServiceOverFakes again = fakes("[objective_missed]", "")) {
            again.service().status();
        }
        assertThat(announced()).containsExactly("objective_missed app NEVER");
    }

    @Test
    void checksAtOnceFromManyThreadsAnnounceATransitionOnce() throws Exception {
        try (ServiceOverFakes f = fakes("[objective_missed]", "")) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(6);
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return f.service().status();
                }));
            }
            for (java.util.concurrent.Future<?> r : runs) {
                r.get();
            }
            pool.shutdown();
            assertThat(announced()).containsExactly("objective_missed app NEVER");
        }
    }

    @Test
    void aTargetThatDidNotAskHearsNothingAndNoStateIsKept() {
        try (ServiceOverFakes f = fakes("[failure, recovery]", "")) {
            f.service().status();
            assertThat(server.received()).isEmpty();
            assertThat(f.stateDir().resolve("notify")).doesNotExist();
        }
    }

    @Test
    void aScheduledRunThatLeavesTheSourceLateAnnouncesIt() {
        try (ServiceOverFakes f = fakes(
                "[objective_missed]", "schedules:\n  nightly: {cron: '15 1 * * *', time_zone: UTC, database: app}\n")) {
            f.engine().unreachable();
            f.service().runSchedule("nightly", OperationContext.of("schedule", "tester"));
            assertThat(announced()).containsExactly("objective_missed app FAILING");
            assertThat(server.received().get(0).json().get("problems").toString())
                    .contains("DATABASE_UNREACHABLE");
        }
    }

    @Test
    void anUnreadableMemoryIsStartedAfreshNeverTheStatusFailure() throws IOException {
        try (ServiceOverFakes f = fakes("[objective_missed]", "")) {
            Files.createDirectories(f.stateDir().resolve("notify"));
            Files.writeString(f.stateDir().resolve("notify/objectives.json"), "{not json");
            assertThat(f.service().status().sources()).hasSize(1);
            assertThat(announced()).containsExactly("objective_missed app NEVER");
            assertThat(Files.readString(f.stateDir().resolve("notify/objectives.json")))
                    .contains("\"database:app\":\"NEVER\"");
        }
    }
}
