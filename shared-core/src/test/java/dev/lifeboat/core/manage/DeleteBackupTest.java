package dev.lifeboat.core.manage;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.restore.DatabaseRestore;
import dev.lifeboat.core.restore.RestoreMode;
import dev.lifeboat.core.restore.RestoreRequest;
import dev.lifeboat.core.testing.ServiceOverFakes;
import dev.lifeboat.core.verify.VerifyLevel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DeleteBackup}: only with a token bound to that backup, its checksum and its store. */
class DeleteBackupTest {
    @AutoClose
    private final ServiceOverFakes f = ServiceOverFakes.inTempDir()
            .database("app", Map.of("accounts", 3))
            .store("offsite")
            .build();

    private final DeleteBackup delete = new DeleteBackup(f.context());
    private Manifest first;
    private Manifest second;

    @BeforeEach
    void setUp() {
        first = f.backup("app").manifest();
        f.advance(Duration.ofHours(1));
        second = f.backup("app").manifest();
    }

    /** A delete with {@code token} that is refused as TOKEN_REJECTED: the refusal, for what it says. */
    private LifeboatException rejected(String id, String store, String token) {
        LifeboatException e = refused(() -> delete.delete(id, store, token, ServiceOverFakes.CALLER));
        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_REJECTED);
        return e;
    }

    private List<String> keysOf(Manifest m) {
        return f.store().keys().stream()
                .filter(k -> k.startsWith("app/" + m.id() + "/"))
                .toList();
    }

    private String token(Manifest m) {
        return delete.plan(m.id(), null).confirmation().token();
    }

    @Test
    void aPlanAlwaysComesWithATokenAndRemovesNothing() {
        DeletePlan p = delete.plan(first.id(), null);

        assertThat(p.confirmation()).isNotNull();
        assertThat(p.store()).isEqualTo("main");
        assertThat(p.sizeBytes()).isEqualTo(first.sizeBytes());
        assertThat(p.summary()).contains(first.id()).contains("cannot be undone");
        assertThat(keysOf(first)).hasSize(2);
    }

    @Test
    void aDeleteWithoutATokenIsConfirmationRequired() {
        LifeboatException e = refused(() -> delete.delete(first.id(), null, null, ServiceOverFakes.CALLER));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIRMATION_REQUIRED);
        assertThat(keysOf(first)).hasSize(2);
        assertThat(f.lastAudit())
                .containsEntry("operation", "delete")
                .containsEntry("error_code", "CONFIRMATION_REQUIRED")
                .containsEntry("backup_id", first.id());
    }

    @Test
    void aDeleteWithItsTokenRemovesManifestFirstThenDataAndDrills() {
        f.service().verify(first.id(), null, VerifyLevel.RESTORE, ServiceOverFakes.CALLER);
        assertThat(keysOf(first)).anyMatch(k -> k.contains("/drills/"));
        String token = token(first);
        // the only drilled backup is guarded: refused without the extra confirmation, the token unspent
        LifeboatException guarded = refused(() -> delete.delete(first.id(), null, token, ServiceOverFakes.CALLER));
        assertThat(guarded.code()).isEqualTo(ErrorCode.CONFIRMATION_REQUIRED);
        assertThat(guarded.getMessage()).contains("only backup of app with a passing restore drill");
        assertThat(guarded.hint()).contains(dev.lifeboat.core.base.Remedy.ALLOW_LAST.ref());
        assertThat(keysOf(first)).anyMatch(k -> k.contains("/drills/"));

        BackupRecord gone = delete.delete(first.id(), null, token, true, ServiceOverFakes.CALLER);

        assertThat(gone.manifest().id()).isEqualTo(first.id());
        assertThat(keysOf(first)).isEmpty();
        assertThat(keysOf(second)).hasSize(2);
        assertThat(f.store().calls())
                .containsSubsequence(
                        "delete app/" + first.id() + "/manifest.json", "delete app/" + first.id() + "/dump");
        assertThat(f.service().list(ListBackupsQuery.all()))
                .extracting(r -> r.manifest().id())
                .containsExactly(second.id());
        assertThat(f.lastAudit()).containsEntry("operation", "delete").containsEntry("outcome", "ok");
    }

    @Test
    void aTokenForAnotherBackupIsRejectedAndStaysGoodForItsOwn() {
        String tokenForFirst = token(first);

        LifeboatException e = rejected(second.id(), null, tokenForFirst);

        assertThat(e.getMessage()).contains("backup '" + first.id() + "', not '" + second.id() + "'");
        assertThat(keysOf(first)).hasSize(2);
        assertThat(keysOf(second)).hasSize(2);

        delete.delete(first.id(), null, tokenForFirst, ServiceOverFakes.CALLER);
        assertThat(keysOf(first)).isEmpty();
    }

    @Test
    void aTokenIsGoneWithItsBackup() {
        String token = token(first);
        delete.delete(first.id(), null, token, ServiceOverFakes.CALLER);

        LifeboatException e = refused(() -> delete.delete(first.id(), null, token, ServiceOverFakes.CALLER));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(keysOf(second)).hasSize(2);
    }

    @Test
    void aTokenForTheSameBackupInAnotherStoreIsRejected() {
        f.service().copy(first.id(), "main", "offsite", ServiceOverFakes.CALLER);
        String tokenForMain = delete.plan(first.id(), "main").confirmation().token();

        LifeboatException e = rejected(first.id(), "offsite", tokenForMain);

        assertThat(e.getMessage()).contains("store:main").contains("store:offsite");
        assertThat(f.store("offsite").keys()).contains("app/" + first.id() + "/manifest.json");
        assertThat(keysOf(first)).hasSize(2);
    }

    @Test
    void aTokenIsRefusedWhenTheBackupWasReplacedSinceThePlan() {
        String token = token(first);
        String key = "app/" + first.id() + "/manifest.json";
        String json = new String(f.store().bytes(key).orElseThrow(), StandardCharsets.UTF_8);
        f.store().plant(key, json.replace(first.sha256(), "0".repeat(64)).getBytes(StandardCharsets.UTF_8));

        LifeboatException e = rejected(first.id(), null, token);

        assertThat(e.getMessage()).contains("backup checksum");
        assertThat(keysOf(first)).hasSize(2);
    }

    @Test
    void aRestoreTokenIsRejectedByDelete() {
        String restoreToken = new DatabaseRestore(f.context())
                .planRestore(new RestoreRequest(first.id(), null, null, "app", RestoreMode.CLEAN, null))
                .confirmation()
                .token();

        LifeboatException e = rejected(first.id(), null, restoreToken);

        assertThat(e.getMessage()).contains("operation 'restore', not 'delete'");
        assertThat(keysOf(first)).hasSize(2);
    }

    @Test
    void theLastBackupOfASourceIsGuardedUntilItIsDeletedWithAllowLast() {
        delete.delete(second.id(), null, token(second), ServiceOverFakes.CALLER);
        DeletePlan plan = delete.plan(first.id(), null);
        assertThat(plan.guards()).containsExactly("it is the last backup of app in every store");
        assertThat(plan.summary()).contains("CAUTION: it is the last backup of app");

        LifeboatException e = refused(
                () -> delete.delete(first.id(), null, plan.confirmation().token(), ServiceOverFakes.CALLER));
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIRMATION_REQUIRED);
        assertThat(keysOf(first)).hasSize(2);

        delete.delete(first.id(), null, plan.confirmation().token(), true, ServiceOverFakes.CALLER);
        assertThat(keysOf(first)).isEmpty();
    }

    @Test
    void deletingNeedsNoDatabase() {
        f.engine().unreachable();
        int calls = f.engine().calls().size();

        delete.delete(first.id(), null, token(first), ServiceOverFakes.CALLER);

        assertThat(keysOf(first)).isEmpty();
        assertThat(f.engine().calls()).hasSize(calls);
    }

    @Test
    void anUnknownOrMalformedBackupIsRefused() {
        String other =
                first.id().substring(0, first.id().length() - 4) + (first.id().endsWith("0000") ? "0001" : "0000");
        assertThat(refused(() -> delete.plan(other, null)).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(refused(() -> delete.plan("app/../x", null)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(f.store().keys()).hasSize(4);
    }
}
