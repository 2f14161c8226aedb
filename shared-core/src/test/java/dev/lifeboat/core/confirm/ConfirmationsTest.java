package dev.lifeboat.core.confirm;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.lifeboat.core.base.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
