package dev.lifeboat.core.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.schedule.RunSchedule;
import dev.lifeboat.core.schedule.SlotResult;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStores;
import dev.lifeboat.core.testing.ServiceOverFakes;
import dev.lifeboat.core.testing.Workers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many workers, one bucket: workers with their own S3 clients race for the same slot of a schedule on a
 * real S3 protocol server, and the run marker's create-only write lets exactly one of them run it.
 */
class S3ScheduleRaceIT {
    private static final Instant SLOT = Instant.parse("2026-03-02T01:15:00Z");

    @AutoClose
    private static final S3ProxyServer server = S3ProxyServer.started();

    @TempDir
    Path dir;

    @Test
    void racingWorkersOnOneBucketRunEachSlotExactlyOnce() throws Exception {
        race(false);
    }

    /**
     * A worker killed with -9 left its claim and nothing else; once its lease has lapsed, the racing
     * workers take the slot over with a create-only write too, and exactly one of them runs it.
     */
    @Test
    void racingWorkersTakeOverASlotWhoseWorkerDiedExactlyOnce() throws Exception {
        race(true);
    }

    private void race(boolean deadClaimFirst) throws Exception {
        String bucket = server.newBucket();
        int workers = 6;
        List<BackupStore> stores = new ArrayList<>();
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .raw("schedules:\n  nightly: {cron: '15 1 * * *', time_zone: UTC, database: app}\n")
                .build()) {
            if (deadClaimFirst) {
                try (BackupStore s3 = BackupStores.open(
                        S3ProxyServer.config(server.endpoint(), bucket, "lifeboat", Map.of()), S3ProxyServer.ENV)) {
                    s3.put(
                            "_lifeboat/schedules/nightly/20260302T0115Z/claim.json",
                            new java.io.ByteArrayInputStream(("{\"schedule\":\"nightly\",\"slot\":\"" + SLOT
                                            + "\",\"worker\":\"dead:1\",\"claimed_at\":\""
                                            + f.clock().instant().minus(java.time.Duration.ofMinutes(11))
                                            + "\",\"generation\":0,\"lease_seconds\":600}")
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                            true);
                }
            }
            List<SlotResult> results = Workers.atOnce(workers, i -> {
                // each worker its own client, as separate hosts or pods would have
                BackupStore s3 = BackupStores.open(
                        S3ProxyServer.config(server.endpoint(), bucket, "lifeboat", Map.of()), S3ProxyServer.ENV);
                stores.add(s3);
                RunSchedule worker = new RunSchedule(f.separateContext(sc -> s3));
                return () -> worker.run("nightly", SLOT, OperationContext.of("schedule", "worker"));
            });
            List<SlotResult.Status> statuses =
                    results.stream().map(SlotResult::status).toList();
            assertThat(stores.get(0).capabilities().conditionalCreate())
                    .as("S3Proxy honours If-None-Match, so the claim is exclusive")
                    .isTrue();
            assertThat(statuses).filteredOn(s -> s == SlotResult.Status.OK).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == SlotResult.Status.SKIPPED).hasSize(workers - 1);
            assertThat(f.engine().dumps()).hasSize(1);
            assertThat(stores.get(0).list("_lifeboat/schedules/nightly/"))
                    .extracting(o -> o.key())
                    .containsExactlyElementsOf(
                            deadClaimFirst
                                    ? List.of(
                                            "_lifeboat/schedules/nightly/20260302T0115Z/claim.json",
                                            "_lifeboat/schedules/nightly/20260302T0115Z/done.json",
                                            "_lifeboat/schedules/nightly/20260302T0115Z/takeover-1.json")
                                    : List.of(
                                            "_lifeboat/schedules/nightly/20260302T0115Z/claim.json",
                                            "_lifeboat/schedules/nightly/20260302T0115Z/done.json"));
            if (deadClaimFirst) {
                assertThat(results.stream()
                                .filter(r -> r.status() == SlotResult.Status.OK)
                                .findFirst()
                                .orElseThrow()
                                .steps()
                                .get(0)
                                .message())
                        .contains("taken over from dead:1");
            }
        } finally {
            stores.forEach(BackupStore::close);
        }
    }
}
