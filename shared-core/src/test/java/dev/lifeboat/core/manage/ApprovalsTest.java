package dev.lifeboat.core.manage;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.restore.DatabaseRestore;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Approvals} in approval mode 'operator': a token alone does not run a destructive plan, a
 * person's approval of that plan does (and is audited), and a refusal for a missing approval does
 * not spend the token.
 */
class ApprovalsTest {
    @TempDir
    Path dir;

    @AutoClose
    private final ServiceOverFakes f = ServiceOverFakes.inTempDir()
            .database("app", Map.of("accounts", 3))
            .operatorApproval()
            .build();

    private final Approvals approvals = new Approvals(f.context());
    private final DeleteBackup delete = new DeleteBackup(f.context());
    private final Manifest m = f.backup("app").manifest();

    @Test
    void aTokenAloneIsNotEnoughAndAnApprovalMakesItWork() {
        DeletePlan p = delete.plan(m.id(), null);
        assertThat(p.confirmation().operatorApproval()).isTrue();

        LifeboatException e =
                refused(() -> delete.delete(m.id(), null, p.confirmation().token(), true, ServiceOverFakes.CALLER));
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIRMATION_REQUIRED);
        assertThat(e.hint())
                .as("the hint names the plan to approve")
                .contains(p.confirmation().planId());
        assertThat(f.store().keys()).hasSize(2);

        String approved = approvals.approve(p.confirmation().planId(), "alice");
        assertThat(approved)
                .contains(p.confirmation().planId())
                .contains("delete")
                .contains(m.id());
        assertThat(f.lastAudit())
                .containsEntry("operation", "approve")
                .containsEntry("subject", "alice")
                .containsEntry("backup_id", m.id())
                .containsEntry("outcome", "ok");

        delete.delete(m.id(), null, p.confirmation().token(), true, ServiceOverFakes.CALLER);
        assertThat(f.store().keys()).isEmpty();
    }

    @Test
    void aCleanRestoreWaitsForItsApprovalWithTheTargetUntouched() {
        DatabaseRestore restore = new DatabaseRestore(f.context());
        f.engine().database("app", Map.of("accounts", 9));
        RestoreRequest clean = new RestoreRequest(m.id(), null, null, null, RestoreMode.CLEAN, null);
        RestorePlan p = restore.planRestore(clean);

        LifeboatException e =
                refused(() -> restore.restore(clean.withToken(p.confirmation().token()), ServiceOverFakes.CALLER));
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIRMATION_REQUIRED);
        assertThat(f.engine().restores()).isEmpty();
        assertThat(f.engine().tables("app").orElseThrow().get("public.accounts"))
                .hasSize(9);

        approvals.approve(p.confirmation().planId(), "alice");
        restore.restore(clean.withToken(p.confirmation().token()), ServiceOverFakes.CALLER);

        assertThat(f.engine().tables("app").orElseThrow().get("public.accounts"))
                .hasSize(3);
    }

    @Test
    void anApprovalIsForOnePlanOnly() {
        DeletePlan approvedPlan = delete.plan(m.id(), null);
        DeletePlan otherPlan = delete.plan(m.id(), null);
        approvals.approve(approvedPlan.confirmation().planId(), "alice");

        LifeboatException e = refused(
                () -> delete.delete(m.id(), null, otherPlan.confirmation().token(), true, ServiceOverFakes.CALLER));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIRMATION_REQUIRED);
        assertThat(f.store().keys()).hasSize(2);
    }

    @Test
    void approvingAnUnknownMalformedOrSpentPlanIsRefused() {
        assertThat(refused(() -> approvals.approve("0123456789abcdef0123", "alice"))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(refused(() -> approvals.approve("../../key", "alice")).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);

        DeletePlan p = delete.plan(m.id(), null);
        approvals.approve(p.confirmation().planId(), "alice");
        delete.delete(m.id(), null, p.confirmation().token(), true, ServiceOverFakes.CALLER);

        LifeboatException e = refused(() -> approvals.approve(p.confirmation().planId(), "bob"));
        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage()).contains("already executed");
    }

    @Test
    void anExpiredPlanCannotBeApproved() {
        DeletePlan p = delete.plan(m.id(), null);
        f.advance(f.config().tokenTtl().plusSeconds(1));

        LifeboatException e = refused(() -> approvals.approve(p.confirmation().planId(), "alice"));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        assertThat(e.getMessage()).contains("expired");
        assertThat(f.store().keys()).hasSize(2);
    }

    @Test
    void anOperatorIsShownEveryBackupAPruneWouldRemove() {
        ServiceOverFakes pf = ServiceOverFakes.in(dir.resolve("prune"))
                .database("app", Map.of("accounts", 3))
                .retention("app", Map.of("keep_last", 1))
                .operatorApproval()
                .build();
        try (pf) {
            Manifest old = pf.backup("app").manifest();
            pf.advance(java.time.Duration.ofHours(1));
            pf.backup("app");
            PrunePlan plan = pf.service()
                    .requestPrune("app", null, null, ServiceOverFakes.CALLER)
                    .plan();
            assertThat(plan.confirmation().operatorApproval()).isTrue();
            String shown =
                    pf.service().pendingPlan(plan.confirmation().planId()).summary();
            assertThat(shown).startsWith(plan.summary()).contains("remove " + old.id() + " (app in ");
        }
    }
}
