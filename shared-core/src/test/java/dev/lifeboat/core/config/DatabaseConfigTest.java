package dev.lifeboat.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.compress.Compression;
import dev.lifeboat.core.compress.CompressionSetting;
import dev.lifeboat.core.retention.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder copies every setting, and an entry built without the durations gets their defaults. */
class DatabaseConfigTest {
    /** Every setting away from what an unset builder holds, so a copy that drops one differs. */
    private static final DatabaseConfig FULL = new DatabaseConfig(
            "app",
            "db.example",
            5433,
            "shop",
            "alice",
            "verify-full",
            "APP_PW",
            Path.of("/etc/lifeboat/app.pass"),
            Path.of("/etc/lifeboat/pgpass"),
            true,
            RowCounts.EXACT,
            "s3",
            Path.of("/usr/lib/postgresql/16/bin"),
            "scratch",
            RetentionPolicy.fromMap(Map.of("keep_daily", 7), "databases.app.retention"),
            new CompressionSetting(Compression.ZSTD, 3),
            4,
            Duration.ofHours(2),
            Duration.ofSeconds(5),
            false);

    @Test
    void aCopyThroughTheBuilderKeepsEverySetting() {
        assertThat(FULL.toBuilder().build()).isEqualTo(FULL);
    }

    @Test
    void keepingRolesChangesOnlyThatSetting() {
        DatabaseConfig keeping = FULL.keepingRoles();
        assertThat(keeping.keepRoles()).isTrue();
        assertThat(keeping)
                .usingRecursiveComparison()
                .ignoringFields("keepRoles")
                .isEqualTo(FULL);
    }

    @Test
    void anEntryBuiltWithoutTheDurationsGetsTheirDefaults() {
        DatabaseConfig bare = DatabaseConfig.builder().name("app").build();
        assertThat(bare.keepPrevious()).isEqualTo(DatabaseConfig.DEFAULT_KEEP_PREVIOUS);
        assertThat(bare.restoreLockTimeout()).isEqualTo(DatabaseConfig.DEFAULT_RESTORE_LOCK_TIMEOUT);
        assertThat(bare.port()).isZero();
        assertThat(bare.keepRoles()).isFalse();
    }
}
