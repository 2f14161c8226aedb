package dev.lifeboat.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.base.ErrorCode;
import dev.lifeboat.core.base.LifeboatException;
import dev.lifeboat.core.engine.ConnectionSpec;
import dev.lifeboat.core.testing.PgCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two restores racing for one new database name: the loser hears ALREADY_EXISTS, never a raw SQL error. */
class ConcurrentCreateIT {
    @TempDir
    Path passfiles;

    @Test
    void twoCreatesOfOneNameRacingGiveOneDatabaseAndOneAlreadyExists() throws Exception {
        PgCluster pg = PgCluster.shared();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String name = "race_"
                        + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
                ConnectionSpec spec = pg.connectionSpec(name);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<LifeboatException>> racers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    racers.add(pool.submit(() -> {
                        try (PgDumpEngine engine = new PgDumpEngine(null, System.getenv(), passfiles)) {
                            engine.probe(spec.withDatabase("postgres")); // connect before the race starts
                            start.await();
                            engine.createDatabase(spec);
                            return null;
                        } catch (LifeboatException e) {
                            return e;
                        }
                    }));
                }
                List<LifeboatException> failures = new ArrayList<>();
                for (Future<LifeboatException> r : racers) {
                    if (r.get() != null) {
                        failures.add(r.get());
                    }
                }
                assertThat(failures).as("round %d", round).hasSize(1);
                assertThat(failures.get(0).code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
                assertThat(failures.get(0).getMessage()).contains(name, "already exists");
                assertThat(pg.databaseExists(name)).isTrue();
                pg.dropDatabase(name);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
