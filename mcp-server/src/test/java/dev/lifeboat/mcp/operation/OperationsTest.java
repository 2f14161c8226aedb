package dev.lifeboat.mcp.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.mcp.auth.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OperationsTest {
    static final McpSchema.CallToolResult OK = McpSchema.CallToolResult.builder()
            .addTextContent("done")
            .structuredContent(Map.of("status", "created"))
            .isError(false)
            .build();

    /** A clock the test moves. */
    static final class Moving extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void anOperationIsFoundByItsOwnerOnlyAndForgottenAnHourAfterItFinished() {
        Moving clock = new Moving();
        try (Operations ops = new Operations(clock)) {
            Operation op = ops.start("alice", "create_backup", Scope.WRITE, o -> OK);
            assertThat(op.await(Duration.ofSeconds(10))).isSameAs(OK);
            assertThat(op.state()).isEqualTo(OperationState.SUCCEEDED);
            assertThat(op.id()).matches("op-[0-9a-f]{32}");
            assertThat(ops.find("alice", op.id())).contains(op);
            assertThat(ops.find("bob", op.id())).as("another subject").isEmpty();
            assertThat(ops.of("bob")).isEmpty();
            clock.now.set(clock.now.get().plus(Operations.KEEP).minusSeconds(1));
            assertThat(ops.find("alice", op.id())).isPresent();
            clock.now.set(clock.now.get().plusSeconds(2));
            assertThat(ops.find("alice", op.id())).isEmpty();
        }
    }

    @Test
    void aRunningOperationStopsOnlyWhenCancelledAndThenReportsCancelled() throws Exception {
        try (Operations ops = new Operations()) {
            CountDownLatch started = new CountDownLatch(1);
            Operation op = ops.start("alice", "create_backup", Scope.WRITE, o -> {
                started.countDown();
                while (!o.cancelSignal().isCancelled()) {
                    Thread.onSpinWait();
                }
                return McpSchema.CallToolResult.builder()
                        .addTextContent("CANCELLED: the operation was cancelled")
                        .structuredContent(Map.of("error", Map.of("code", "CANCELLED", "message", "cancelled")))
                        .isError(true)
                        .build();
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(op.await(Duration.ofMillis(200)))
                    .as("no one waits: it still runs")
                    .isNull();
            assertThat(op.state()).isEqualTo(OperationState.RUNNING);
            assertThat(ops.running()).isEqualTo(1);
            op.cancel();
            assertThat(op.await(Duration.ofSeconds(10))).isNotNull();
            assertThat(op.state()).isEqualTo(OperationState.CANCELLED);
            assertThat(op.cancelRequested()).isTrue();
        }
    }

    @Test
    void oneOwnerCannotRunMoreThanTheMaximumAndABuggyWorkFinishesAsInternal() throws Exception {
        try (Operations ops = new Operations()) {
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < Operations.MAX_RUNNING_PER_OWNER; i++) {
                ops.start("alice", "verify_backup", Scope.READ, o -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return OK;
                });
            }
            assertThatThrownBy(() -> ops.start("alice", "verify_backup", Scope.READ, o -> OK))
                    .isInstanceOf(LifeboatException.class)
                    .hasMessageContaining("already has");
            Operation bobs = ops.start("bob", "verify_backup", Scope.READ, o -> {
                throw new IllegalStateException("a bug");
            });
            assertThat(bobs.await(Duration.ofSeconds(10)).isError()).isTrue();
            assertThat(bobs.state()).isEqualTo(OperationState.FAILED);
            assertThat(Operation.error(bobs.result())).containsEntry("code", "INTERNAL");
            release.countDown();
            assertThat(ops.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void finishedOperationsAreBoundedInNumberOldestFirst() {
        try (Operations ops = new Operations()) {
            Operation first = ops.start("alice", "copy_backup", Scope.WRITE, o -> OK);
            first.await(Duration.ofSeconds(10));
            for (int i = 0; i < Operations.MAX_FINISHED; i++) {
                ops.start("alice", "copy_backup", Scope.WRITE, o -> OK).await(Duration.ofSeconds(10));
            }
            assertThat(ops.find("alice", first.id())).isEmpty();
            assertThat(ops.of("alice")).hasSize(Operations.MAX_FINISHED);
        }
    }
}
