package dev.lifeboat.core.manage;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** {@link CopyBackup}: to another configured store only, listed there whole or not at all. */
class CopyBackupTest {
    @AutoClose
    private final ServiceOverFakes f = ServiceOverFakes.inTempDir()
            .database("app", Map.of("accounts", 3, "orders", 5))
            .store("offsite")
            .build();

    private final CopyBackup copy = new CopyBackup(f.context());
    private final Manifest m = f.backup("app").manifest();

    @Test
    void aCopyToTheSameStoreIsRefusedAndWritesNothing() {
        int callsBefore = f.store().calls().size();

        for (String from : new String[] {"main", null}) {
            LifeboatException e = refused(() -> copy.copy(m.id(), from, "main", ServiceOverFakes.CALLER));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("already in store 'main'");
            assertThat(e.hint()).contains("offsite");
        }
        assertThat(f.store().calls().subList(callsBefore, f.store().calls().size()))
                .noneMatch(c -> c.startsWith("put") || c.startsWith("delete"));
        assertThat(f.store("offsite").calls()).isEmpty();
    }

    @Test
    void aCopyToAnotherStoreIsListedThereWithTheSameIdAndChecksum() {
        var result = copy.copy(m.id(), null, "offsite", ServiceOverFakes.CALLER);

        assertThat(result.alreadyPresent()).isFalse();
        assertThat(result.bytes()).isEqualTo(m.sizeBytes());
        assertThat(f.store("offsite").keys())
                .containsExactly("app/" + m.id() + "/dump", "app/" + m.id() + "/manifest.json");
        assertThat(f.store("offsite").bytes("app/" + m.id() + "/dump"))
                .contains(f.store().bytes("app/" + m.id() + "/dump").orElseThrow());
        assertThat(f.service().list(new ListBackupsQuery(null, "offsite", null, 0)))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.manifest().id()).isEqualTo(m.id());
                    assertThat(r.manifest().sha256()).isEqualTo(m.sha256());
                });
        assertThat(f.lastAudit())
                .containsEntry("operation", "copy")
                .containsEntry("outcome", "ok")
                .containsEntry("target", "store:offsite");
    }

    @Test
    void copyingAgainFindsTheCopyAndWritesNothing() {
        copy.copy(m.id(), "main", "offsite", ServiceOverFakes.CALLER);
        int puts = (int) f.store("offsite").calls().stream()
                .filter(c -> c.startsWith("put"))
                .count();

        var again = copy.copy(m.id(), "main", "offsite", ServiceOverFakes.CALLER);

        assertThat(again.alreadyPresent()).isTrue();
        assertThat(f.store("offsite").calls().stream().filter(c -> c.startsWith("put")))
                .hasSize(puts);
        assertThat(f.lastAudit()).containsEntry("detail", "already present");
    }

    @Test
    void aDamagedSourceIsIntegrityFailedAndNothingIsListedInTheTarget() {
        f.store().corrupt("app/" + m.id() + "/dump", 30);

        LifeboatException e = refused(() -> copy.copy(m.id(), null, "offsite", ServiceOverFakes.CALLER));

        assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY_FAILED);
        assertThat(f.store("offsite").keys()).isEmpty();
        assertThat(f.lastAudit()).containsEntry("operation", "copy").containsEntry("error_code", "INTEGRITY_FAILED");
    }

    @Test
    void aFailedManifestWriteInTheTargetLeavesNothingThere() {
        f.store("offsite").failPuts(k -> k.endsWith("/manifest.json"));

        LifeboatException e = refused(() -> copy.copy(m.id(), null, "offsite", ServiceOverFakes.CALLER));

        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(f.store("offsite").keys()).isEmpty();
        assertThat(f.store().keys()).hasSize(2);
    }

    @Test
    void anUnknownStoreOrBackupIsNotFound() {
        assertThat(refused(() -> copy.copy(m.id(), null, "nope", ServiceOverFakes.CALLER))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        String other = m.id().substring(0, m.id().length() - 4) + (m.id().endsWith("0000") ? "0001" : "0000");
        assertThat(refused(() -> copy.copy(other, null, "offsite", ServiceOverFakes.CALLER))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(f.store("offsite").keys()).isEmpty();
    }

    @Test
    void copyingNeedsNoDatabase() {
        f.engine().unreachable();
        int calls = f.engine().calls().size();

        copy.copy(m.id(), null, "offsite", ServiceOverFakes.CALLER);

        assertThat(f.store("offsite").keys()).hasSize(2);
        assertThat(f.engine().calls()).hasSize(calls);
    }
}
