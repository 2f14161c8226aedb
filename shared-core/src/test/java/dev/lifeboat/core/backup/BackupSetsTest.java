package dev.lifeboat.core.backup;

import static dev.lifeboat.core.testing.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.catalog.BackupRecord;
import dev.lifeboat.core.manage.ListBackupsQuery;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Set runs ({@link BackupSets} over {@link CreateBackup}): a grouping, not a transaction. A member
 * that fails is named in the result and does not stop the others; a cancel stops the members not yet
 * started.
 */
class BackupSetsTest {
    @TempDir
    Path dir;

    @AutoClose
    private final ServiceOverFakes f = ServiceOverFakes.inTempDir()
            .database("app", Map.of("accounts", 3))
            .database("billing", Map.of("invoices", 4))
            .database("crm", Map.of("contacts", 2))
            .set("shop", "app", "billing", "crm")
            .build();

    private final BackupSets sets = new BackupSets(f.config(), f.clock());
    private final CreateBackup create = new CreateBackup(f.context());

    /** Each member of the run in order, as (name, error code or null when it was backed up). */
    private static void assertOutcomes(SetRunResult r, Tuple... nameAndError) {
        assertThat(r.members())
                .extracting(SetRunResult.Member::name, SetRunResult.Member::error)
                .containsExactly(nameAndError);
    }

    private SetRunResult run(OperationContext context, BackupSets.Creator creator) {
        return sets.create("shop", null, "weekly", Map.of("kind", "set"), null, context, creator);
    }

    private List<String> listedDatabases() {
        return f.service().list(ListBackupsQuery.all()).stream()
                .map(r -> r.manifest().database())
                .sorted()
                .toList();
    }

    @Test
    void everyMemberIsBackedUpInOrderUnderOneRun() {
        SetRunResult r = run(ServiceOverFakes.CALLER, create::create);

        assertThat(r.complete()).isTrue();
        assertThat(r.failed()).isZero();
        assertThat(r.run()).startsWith("shop-20260302T020000Z-");
        assertThat(r.members()).extracting(SetRunResult.Member::name).containsExactly("app", "billing", "crm");
        assertThat(r.members()).allSatisfy(m -> {
            assertThat(m.error()).isNull();
            assertThat(m.kind()).isEqualTo("postgresql");
            assertThat(m.backup().manifest().set().name()).isEqualTo("shop");
            assertThat(m.backup().manifest().set().run()).isEqualTo(r.run());
            assertThat(m.backup().manifest().label()).isEqualTo("weekly");
        });
        assertThat(f.engine().dumps()).extracting(d -> d.source().dbname()).containsExactly("app", "billing", "crm");
    }

    @Test
    void aFailingMemberDoesNotStopTheOthersAndTheResultNamesIt() {
        f.store().failPuts(k -> k.startsWith("billing/"));

        SetRunResult r = run(ServiceOverFakes.CALLER, create::create);

        assertThat(r.complete()).isFalse();
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.members()).extracting(SetRunResult.Member::name).containsExactly("app", "billing", "crm");
        SetRunResult.Member billing = r.members().get(1);
        assertThat(billing.backup()).isNull();
        assertThat(billing.error()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(billing.message()).contains("billing/");
        assertThat(r.members().get(0).backup()).isNotNull();
        assertThat(r.members().get(2).backup()).isNotNull();

        assertThat(listedDatabases()).containsExactly("app", "crm");
        assertThat(f.store().keys()).noneMatch(k -> k.startsWith("billing/"));
        assertThat(f.engine().dumps()).hasSize(3);
    }

    @Test
    void aMemberMissingOnTheServerIsReportedAndTheRestCommitted() {
        ServiceOverFakes g = ServiceOverFakes.in(dir.resolve("g"))
                .database("app", Map.of("accounts", 3))
                .configuredDatabase("gone")
                .database("crm", Map.of("contacts", 2))
                .set("shop", "app", "gone", "crm")
                .build();
        try (g) {
            SetRunResult r = g.service().createSet("shop", null, null, Map.of(), ServiceOverFakes.CALLER);

            assertThat(r.failed()).isEqualTo(1);
            assertOutcomes(r, tuple("app", null), tuple("gone", ErrorCode.NOT_FOUND), tuple("crm", null));
            assertThat(g.service().list(ListBackupsQuery.all()))
                    .extracting(b -> b.manifest().database())
                    .containsExactlyInAnyOrder("app", "crm");
            assertThat(g.store().keys()).noneMatch(k -> k.startsWith("gone/"));
        }
    }

    @Test
    void aCancelStopsTheMembersNotYetStarted() {
        OperationContext context = OperationContext.of("test", "tester");
        BackupSets.Creator cancelAfterFirst = (request, run, c) -> {
            BackupRecord b = create.create(request, run, c);
            c.cancel().cancel();
            return b;
        };

        SetRunResult r = run(context, cancelAfterFirst);

        assertThat(r.failed()).isEqualTo(2);
        assertOutcomes(r, tuple("app", null), tuple("billing", ErrorCode.CANCELLED), tuple("crm", ErrorCode.CANCELLED));
        assertThat(r.members().get(1).message()).contains("not started");
        assertThat(f.engine().dumps()).extracting(d -> d.source().dbname()).containsExactly("app");
        assertThat(listedDatabases()).containsExactly("app");
    }

    @Test
    void aCancelDuringAMemberReportsItCancelledAndStartsNoOther() {
        OperationContext context = OperationContext.of("test", "tester");
        BackupSets.Creator cancelDuringSecond = (request, run, c) -> {
            if (request.database().equals("billing")) {
                c.cancel().cancel();
            }
            return create.create(request, run, c);
        };

        SetRunResult r = run(context, cancelDuringSecond);

        assertOutcomes(r, tuple("app", null), tuple("billing", ErrorCode.CANCELLED), tuple("crm", ErrorCode.CANCELLED));
        assertThat(f.engine().dumps()).extracting(d -> d.source().dbname()).containsExactly("app");
        assertThat(f.store().keys()).allMatch(k -> k.startsWith("app/"));
    }

    @Test
    void aBadCompressionOrStoreFailsTheRunUpFront() {
        refused(
                ErrorCode.INVALID_ARGUMENT,
                () -> sets.create("shop", null, null, Map.of(), "lz4", ServiceOverFakes.CALLER, create::create));
        refused(
                ErrorCode.NOT_FOUND,
                () -> sets.create("shop", "nope", null, Map.of(), null, ServiceOverFakes.CALLER, create::create));
        refused(
                ErrorCode.NOT_FOUND,
                () -> sets.create("nope", null, null, Map.of(), null, ServiceOverFakes.CALLER, create::create));
        assertThat(f.engine().dumps()).isEmpty();
        assertThat(f.store().keys()).isEmpty();
    }

    @Test
    void aRunIsListedWithItsMembersAndTheMissingOnes() {
        f.store().failPuts(k -> k.startsWith("crm/"));
        SetRunResult r = f.service().createSet("shop", null, null, Map.of(), ServiceOverFakes.CALLER);

        List<SetListing> runs = f.service().listSets("shop", null, null, 0);

        assertThat(runs).singleElement().satisfies(l -> {
            assertThat(l.run()).isEqualTo(r.run());
            assertThat(l.backups()).extracting(b -> b.manifest().database()).containsExactly("app", "billing");
            assertThat(l.missing()).containsExactly("crm");
        });
    }
}
