package dev.lifeboat.core.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.config.StoreUri;
import dev.lifeboat.core.schedule.RunSchedule;
import dev.lifeboat.core.schedule.SlotResult;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many workers, one bucket, on the GCS double: the run marker is written with a doesNotExist
 * precondition, so only the first worker runs the slot and every later one finds it claimed. The
 * double (LocalStorageHelper) is not safe for concurrent writers, so the workers take turns here;
 * true racing against a real object-store protocol is S3ScheduleRaceIT's (S3Proxy).
 */
class GcsScheduleRaceTest {
    private static final Instant SLOT = Instant.parse("2026-03-02T01:15:00Z");

    @TempDir
    Path dir;

    @Test
    void workersOnOneBucketRunEachSlotExactlyOnce() throws Exception {
        Storage storage = LocalStorageHelper.customOptions(false).getService();
        GcsSettings settings = GcsSettings.parse(
                new StoreConfig("main", StoreUri.parse("gs://lifeboat-test/backups", "uri"), Map.of()));
        int workers = 6;
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .raw("schedules:\n  nightly: {cron: '15 1 * * *', time_zone: UTC, database: app}\n")
                .build()) {
            List<SlotResult.Status> statuses = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                GcsBackupStore gcs = new GcsBackupStore(settings, storage);
                statuses.add(new RunSchedule(f.separateContext(sc -> gcs))
                        .run("nightly", SLOT, OperationContext.of("schedule", "worker-" + i))
                        .status());
            }
            assertThat(statuses).filteredOn(s -> s == SlotResult.Status.OK).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == SlotResult.Status.SKIPPED).hasSize(workers - 1);
            assertThat(f.engine().dumps()).hasSize(1);
        }
    }

    @Test
    void aSlotWhoseWorkerDiedIsTakenOverOnceItsLeaseLapses() throws Exception {
        Storage storage = LocalStorageHelper.customOptions(false).getService();
        GcsSettings settings = GcsSettings.parse(
                new StoreConfig("main", StoreUri.parse("gs://lifeboat-test/backups", "uri"), Map.of()));
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .raw("schedules:\n  nightly: {cron: '15 1 * * *', time_zone: UTC, database: app}\n")
                .build()) {
            new GcsBackupStore(settings, storage)
                    .put(
                            "_lifeboat/schedules/nightly/20260302T0115Z/claim.json",
                            new java.io.ByteArrayInputStream(("{\"schedule\":\"nightly\",\"slot\":\"" + SLOT
                                            + "\",\"worker\":\"dead:1\",\"claimed_at\":\""
                                            + f.clock().instant()
                                            + "\",\"generation\":0,\"lease_seconds\":600}")
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                            true);
            List<SlotResult.Status> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (i == 1) {
                    f.advance(java.time.Duration.ofMinutes(11));
                }
                GcsBackupStore gcs = new GcsBackupStore(settings, storage);
                statuses.add(new RunSchedule(f.separateContext(sc -> gcs))
                        .run("nightly", SLOT, OperationContext.of("schedule", "worker-" + i))
                        .status());
            }
            // within the lease: skipped; after it: taken over once; then done
            assertThat(statuses)
                    .containsExactly(SlotResult.Status.SKIPPED, SlotResult.Status.OK, SlotResult.Status.SKIPPED);
            assertThat(f.engine().dumps()).hasSize(1);
        }
    }
}
