package dev.lifeboat.core.restore;

import dev.lifeboat.core.catalog.Manifest;
import dev.lifeboat.core.testing.ServiceOverFakes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the restore tests over the fakes start: a backup of "app" (accounts 3 rows, orders 5), after
 * which the live "app" changed (accounts 10, extra 1), a second later. Each test gets its own.
 */
abstract class ChangedSinceBackup {
    @TempDir
    Path dir;

    ServiceOverFakes f;
    DatabaseRestore restore;
    /** The backup of "app". */
    Manifest m;
    /** The live database "app" now: it differs from the backup. */
    SortedMap<String, List<String>> liveApp;

    @BeforeEach
    void backUpThenChange() {
        f = ServiceOverFakes.in(dir)
                .database("app", Map.of("accounts", 3, "orders", 5))
                .build();
        restore = new DatabaseRestore(f.context());
        m = f.backup("app").manifest();
        f.engine().database("app", Map.of("accounts", 10, "extra", 1));
        liveApp = f.engine().tables("app").orElseThrow();
        f.advance(Duration.ofSeconds(1));
    }

    @AfterEach
    void closeFakes() {
        f.close();
    }
}
