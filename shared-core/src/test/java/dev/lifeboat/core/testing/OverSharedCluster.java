package dev.lifeboat.core.testing;

import dev.lifeboat.core.base.OperationContext;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the integration tests of the real service start: the {@link PgCluster#shared() shared cluster},
 * the test's own directory for a {@link LiveService} (its configuration, local stores and state), and
 * one caller. Each test makes its {@link #source} database and its {@link #live} service in its own
 * {@code @BeforeEach}, since each needs other data and other entries.
 */
public abstract class OverSharedCluster {
    protected final PgCluster pg = PgCluster.shared();

    @TempDir
    protected Path dir;

    /** The cluster's database the service backs up. */
    protected String source;

    /** The configuration over {@link #pg} in {@link #dir}. */
    protected LiveService live;

    protected final OperationContext ctx = OperationContext.of("test", "tester");
}
