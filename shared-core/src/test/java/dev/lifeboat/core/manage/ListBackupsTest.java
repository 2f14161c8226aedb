package dev.lifeboat.core.manage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.catalog.DrillRecord;
import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.testing.ServiceOverFakes;
import dev.lifeboat.core.verify.VerifyLevel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ListBackups}: manifests and drill records only, so listings work with every database down. */
class ListBackupsTest {
    @AutoClose
    private final ServiceOverFakes f = ServiceOverFakes.inTempDir()
            .database("app", Map.of("accounts", 3))
            .database("billing", Map.of("invoices", 2))
            .store("offsite")
            .build();

    private final ListBackups listing = new ListBackups(f.context());
    private Manifest app1;
    private Manifest billing1;
    private Manifest app2;

    @BeforeEach
    void setUp() {
        app1 = f.backup("app").manifest();
        f.advance(Duration.ofHours(1));
        billing1 = f.backup("billing").manifest();
        f.advance(Duration.ofHours(1));
        app2 = f.backup("app", "offsite").manifest();
    }

    private static List<String> ids(List<BackupRecord> rs) {
        return rs.stream().map(r -> r.manifest().id()).toList();
    }

    @Test
    void listingWorksWithTheServerUnreachableAndNeverAsksIt() {
        f.engine().unreachable();
        int calls = f.engine().calls().size();
        int closes = f.engine().closes();

        List<BackupRecord> all = listing.list(ListBackupsQuery.all());

        assertThat(ids(all)).containsExactly(app2.id(), billing1.id(), app1.id());
        assertThat(all).extracting(BackupRecord::store).containsExactly("offsite", "main", "main");
        assertThat(f.engine().calls()).hasSize(calls);
        assertThat(f.engine().closes()).isEqualTo(closes);
        assertThat(f.service().get(app1.id(), null).manifest().sha256()).isEqualTo(app1.sha256());
    }

    @Test
    void drillRecordsAreListedWithTheServerUnreachable() {
        f.service().verify(app1.id(), null, VerifyLevel.RESTORE, ServiceOverFakes.CALLER);
        f.advance(Duration.ofMinutes(5));
        f.service().verify(app2.id(), "offsite", VerifyLevel.RESTORE, ServiceOverFakes.CALLER);
        f.engine().unreachable();

        List<DrillRecord> drills = listing.drills("app", null);

        assertThat(drills).extracting(DrillRecord::backupId).containsExactly(app2.id(), app1.id());
        assertThat(drills).extracting(DrillRecord::store).containsExactly("offsite", "main");
        assertThat(listing.drills("billing", null)).isEmpty();
        assertThat(listing.drills(null, "main"))
                .extracting(DrillRecord::backupId)
                .containsExactly(app1.id());
    }

    @Test
    void aQueryNarrowsByDatabaseStoreTimeAndCount() {
        assertThat(ids(listing.list(new ListBackupsQuery("app", null, null, 0))))
                .containsExactly(app2.id(), app1.id());
        assertThat(ids(listing.list(new ListBackupsQuery(null, "main", null, 0))))
                .containsExactly(billing1.id(), app1.id());
        assertThat(ids(listing.list(new ListBackupsQuery(null, null, billing1.createdAt(), 0))))
                .as("since is inclusive")
                .containsExactly(app2.id(), billing1.id());
        assertThat(ids(listing.list(new ListBackupsQuery(null, null, null, 1)))).containsExactly(app2.id());
    }

    @Test
    void dataWithoutAManifestIsNeverListed() {
        String crashed = "app-20260302T050000Z-abcd";
        f.store().plant("app/" + crashed + "/dump", "PGDMP half a dump".getBytes(StandardCharsets.US_ASCII));

        assertThat(ids(listing.list(ListBackupsQuery.all())))
                .doesNotContain(crashed)
                .hasSize(3);
        assertThat(catchThrowable(() -> f.service().get(crashed, null)))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void anUnreadableManifestIsSkippedAndTheRestListed() {
        String broken = "app-20260302T060000Z-beef";
        f.store().plant("app/" + broken + "/manifest.json", "{not json".getBytes(StandardCharsets.US_ASCII));

        assertThat(ids(listing.list(ListBackupsQuery.all()))).containsExactly(app2.id(), billing1.id(), app1.id());
    }

    @Test
    void anInvalidDatabaseNameOrUnknownStoreIsRefused() {
        assertThat(catchThrowable(() -> listing.list(new ListBackupsQuery("../app", null, null, 0))))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(catchThrowable(() -> listing.list(new ListBackupsQuery(null, "nope", null, 0))))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aStoreWhoseListingFailsIsStoreUnavailable() {
        f.store("offsite").failLists();

        assertThat(catchThrowable(() -> listing.list(ListBackupsQuery.all())))
                .isInstanceOfSatisfying(
                        LifeboatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        assertThat(ids(listing.list(new ListBackupsQuery(null, "main", null, 0))))
                .containsExactly(billing1.id(), app1.id());
    }

    @Test
    void aBackupDeletedBehindTheCachesBackIsNotListed() {
        assertThat(listing.list(ListBackupsQuery.all())).hasSize(3); // fills the manifest cache
        f.store().delete("app/" + app1.id() + "/manifest.json");

        assertThat(ids(listing.list(ListBackupsQuery.all()))).containsExactly(app2.id(), billing1.id());
    }
}
