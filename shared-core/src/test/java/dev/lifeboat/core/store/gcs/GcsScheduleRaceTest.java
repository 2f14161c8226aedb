package dev.lifeboat.core.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.lifeboat.core.base.OperationContext;
import dev.lifeboat.core.config.StoreConfig;
import dev.lifeboat.core.config.StoreUri;
import dev.lifeboat.core.context.LifeboatContext;
import dev.lifeboat.core.schedule.RunSchedule;
import dev.lifeboat.core.schedule.SlotResult;
import dev.lifeboat.core.secret.PasswordSources;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/** Many workers, one bucket, on the GCS double: the run marker's doesNotExist write lets one worker run the slot. */
class GcsScheduleRaceTest {
    private static final Instant SLOT = Instant.parse("2026-03-02T01:15:00Z");

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void racingWorkersOnOneBucketRunEachSlotExactlyOnce() throws Exception {
        Storage storage = LocalStorageHelper.customOptions(false).getService();
        GcsSettings settings = GcsSettings.parse(
                new StoreConfig("main", StoreUri.parse("gs://lifeboat-test/backups", "uri"), Map.of()));
        int workers = 6;
        try (ServiceOverFakes f = ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3))
                .raw("schedules:\n  nightly: {cron: '15 1 * * *', time_zone: UTC, database: app}\n")
                .build()) {
            CyclicBarrier start = new CyclicBarrier(workers);
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            List<Future<SlotResult>> results = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                GcsBackupStore gcs = new GcsBackupStore(settings, storage);
                LifeboatContext ctx = new LifeboatContext(
                        f.config(), db -> f.engine(), sc -> gcs, new PasswordSources(Map.of()), f.clock());
                RunSchedule worker = new RunSchedule(ctx);
                results.add(pool.submit(() -> {
                    start.await();
                    return worker.run("nightly", SLOT, OperationContext.of("schedule", "worker"));
                }));
            }
            List<SlotResult.Status> statuses = new ArrayList<>();
            for (Future<SlotResult> r : results) {
                statuses.add(r.get().status());
            }
            pool.shutdown();
            assertThat(statuses).filteredOn(s -> s == SlotResult.Status.OK).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == SlotResult.Status.SKIPPED).hasSize(workers - 1);
            assertThat(f.engine().dumps()).hasSize(1);
        }
    }
}
