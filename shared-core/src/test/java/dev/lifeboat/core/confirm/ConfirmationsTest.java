package dev.lifeboat.core.confirm;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ConfirmationsTest {
    @TempDir
    Path state;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T08:00:00Z"));
    private final PlanBinding plan =
            new PlanBinding("restore", "app-20261122T071200Z-3f9a", "ab".repeat(32), "127.0.0.1:5432/app", "clean");

    private Confirmations confirmations() {
        return new Confirmations(state, clock);
    }

    @Test
    void aTokenRedeemsOnceForItsExactPlan() {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), false);
        assertThat(c.expiresAt()).isEqualTo(Instant.parse("2026-11-22T08:05:00Z"));
        assertThatCode(() -> confirmations().redeem(c.token(), plan)).doesNotThrowAnyException();
    }

    @Test
    void aNewProcessChecksTokensIssuedByAnEarlierOne() {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), false);
        // a new process: its instance reads the key from disk at its first check
        Confirmations fresh = confirmations();

        assertRejected(
                () -> fresh.redeem(
                        c.token(),
                        new PlanBinding("restore", "app-other", "ab".repeat(32), "127.0.0.1:5432/app", "clean")),
                "backup");
        assertThatCode(() -> fresh.redeem(c.token(), plan)).doesNotThrowAnyException();
        assertRejected(() -> fresh.redeem(c.token(), plan), "already used");
    }

    @Test
    void aReplayedTokenIsRejected() {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), false);
        confirmations().redeem(c.token(), plan);
        assertRejected(() -> confirmations().redeem(c.token(), plan), "already used");
    }

    @Test
    void anExpiredTokenIsRejected() {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), false);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertRejected(() -> confirmations().redeem(c.token(), plan), "expired");
    }

    @Test
    void aTamperedTokenIsRejected() {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), false);
        String t = c.token();
        char last = t.charAt(t.length() - 1);
        String tampered = t.substring(0, t.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertRejected(() -> confirmations().redeem(tampered, plan), "signature");
        // stretching the expiry breaks the signature too
        String[] parts = t.split("\\.");
        String later = parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 3600) + "." + parts[3];
        assertRejected(() -> confirmations().redeem(later, plan), "signature");
    }

    @Test
    void aMalformedOrUnknownTokenIsRejected() {
        assertRejected(() -> confirmations().redeem("not-a-token", plan), "malformed");
        assertRejected(() -> confirmations().redeem(null, plan), "malformed");
        assertRejected(
                () -> confirmations().redeem("lbc1.0123456789abcdef0123.1795000000." + "A".repeat(43), plan),
                "unknown");
    }

    @Test
    void aTokenBoundToAnotherBackupTargetOrModeIsRejectedNamingTheField() {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), false);
        assertRejected(
                () -> confirmations()
                        .redeem(
                                c.token(),
                                new PlanBinding(
                                        "restore", "app-20261122T081200Z-0000", plan.sha256(), plan.target(), "clean")),
                "issued for backup 'app-20261122T071200Z-3f9a'");
        assertRejected(
                () -> confirmations()
                        .redeem(
                                c.token(),
                                new PlanBinding(
                                        "restore", plan.backupId(), plan.sha256(), "127.0.0.1:5432/other", "clean")),
                "issued for target '127.0.0.1:5432/app'");
        assertRejected(
                () -> confirmations()
                        .redeem(
                                c.token(),
                                new PlanBinding("restore", plan.backupId(), "cd".repeat(32), plan.target(), "clean")),
                "backup checksum");
        assertRejected(
                () -> confirmations()
                        .redeem(
                                c.token(),
                                new PlanBinding("delete", plan.backupId(), plan.sha256(), plan.target(), "clean")),
                "operation");
    }

    @Test
    void operatorModeNeedsAnApprovalBeforeTheTokenWorks() {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), true);
        assertThat(refused(
                        ErrorCode.CONFIRMATION_REQUIRED, () -> confirmations().redeem(c.token(), plan)))
                .hasMessageContaining("needs an operator's approval");
        confirmations().approve(c.planId(), "alice");
        assertThatCode(() -> confirmations().redeem(c.token(), plan)).doesNotThrowAnyException();
    }

    @Test
    void aForgedApprovalFileDoesNotCount() throws Exception {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), true);
        Path approvals = Files.createDirectories(state.resolve("confirm/approvals"));
        Files.writeString(
                approvals.resolve(c.planId() + ".json"),
                "{\"plan_id\":\"" + c.planId()
                        + "\",\"approver\":\"mallory\",\"approved_at\":\"2026-11-22T08:00:00Z\",\"mac\":\"AAAA\"}");
        refused(ErrorCode.CONFIRMATION_REQUIRED, () -> confirmations().redeem(c.token(), plan));
    }

    /**
     * Every field of a stored plan that decides whether it may run is covered by the MAC: each one
     * changed on disk (a flag flipped, a string altered, a time moved) makes the token refused.
     */
    @Test
    void changingAnyDecidingFieldOfAStoredPlanOnDiskMakesItsTokenRefused() throws Exception {
        for (boolean operatorApproval : new boolean[] {true, false}) {
            for (String field : decidingPlanFields(operatorApproval)) {
                Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), operatorApproval);
                if (operatorApproval) {
                    confirmations().approve(c.planId(), "alice");
                }
                Path file = state.resolve("confirm/plans/" + c.planId() + ".json");
                ObjectNode stored = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(file));
                alter(stored, field);
                Files.write(file, Json.mapper().writeValueAsBytes(stored));
                assertThat(refused(() -> confirmations().redeem(c.token(), plan))
                                .code())
                        .as("plan field %s changed (operator approval %s)", field, operatorApproval)
                        .isIn(ErrorCode.TOKEN_REJECTED, ErrorCode.CONFIRMATION_REQUIRED);
            }
        }
    }

    @Test
    void changingAnyFieldOfAnApprovalOnDiskMakesItCountForNothing() throws Exception {
        for (String field : List.of("plan_id", "approver", "mac")) {
            Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), true);
            confirmations().approve(c.planId(), "alice");
            Path file = state.resolve("confirm/approvals/" + c.planId() + ".json");
            ObjectNode stored = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(file));
            alter(stored, field);
            Files.write(file, Json.mapper().writeValueAsBytes(stored));
            assertThat(refused(() -> confirmations().redeem(c.token(), plan)).code())
                    .as("approval field %s changed", field)
                    .isEqualTo(ErrorCode.CONFIRMATION_REQUIRED);
        }
    }

    @Test
    void operatorModeInTheConfigNeedsAnApprovalEvenForAPlanIssuedWithoutIt() {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), false);
        Confirmations operatorMode = new Confirmations(state, clock, true);
        refused(ErrorCode.CONFIRMATION_REQUIRED, () -> operatorMode.redeem(c.token(), plan));
        operatorMode.approve(c.planId(), "alice");
        assertThatCode(() -> operatorMode.redeem(c.token(), plan)).doesNotThrowAnyException();
    }

    /** The stored plan's fields that decide whether it runs, as dotted paths; issued_at only words a message. */
    private List<String> decidingPlanFields(boolean operatorApproval) throws Exception {
        Confirmation c = confirmations().issue(plan, Duration.ofMinutes(5), operatorApproval);
        JsonNode stored =
                Json.mapper().readTree(Files.readAllBytes(state.resolve("confirm/plans/" + c.planId() + ".json")));
        List<String> out = new ArrayList<>();
        collect(stored, "", out);
        out.remove("issued_at");
        assertThat(out).contains("operator_approval", "expires_at", "binding.target", "binding.mode");
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String path = prefix + e.getKey();
            if (e.getValue().isObject()) {
                collect(e.getValue(), path + ".", out);
            } else {
                out.add(path);
            }
        }
    }

    private static void alter(ObjectNode root, String path) {
        ObjectNode parent = root;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            parent = (ObjectNode) parent.get(parts[i]);
        }
        String name = parts[parts.length - 1];
        JsonNode v = parent.get(name);
        if (v.isBoolean()) {
            parent.put(name, !v.booleanValue());
        } else if (name.endsWith("_at")) {
            parent.put(
                    name, Instant.parse(v.asString()).plus(Duration.ofDays(1)).toString());
        } else {
            parent.put(name, v.asString() + "x");
        }
    }

    @Test
    void theKeyAndPlansAreOwnerOnly() throws Exception {
        confirmations().issue(plan, Duration.ofMinutes(5), false);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(state.resolve("confirm/key"))))
                .isEqualTo("rw-------");
    }

    private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String text) {
        assertThat(refused(ErrorCode.TOKEN_REJECTED, call)).hasMessageContaining(text);
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
