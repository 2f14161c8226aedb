package dev.lifeboat.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.core.testing.FilledRecords;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder copies every component, and what it is not given is what the constructor makes of null. */
class ManifestTest {
    private final FilledRecords filled = new FilledRecords();

    @Test
    void aCopyThroughTheBuilderKeepsEveryComponent() {
        Manifest full = filled.of(Manifest.class);
        assertThat(full.toBuilder().build()).isEqualTo(full);
    }

    @Test
    void theWithersChangeOnlyTheirComponent() {
        Manifest full = filled.of(Manifest.class);
        Manifest.SetRun run = filled.of(Manifest.SetRun.class);
        Manifest.Roles roles = filled.of(Manifest.Roles.class);
        assertThat(full.withSet(run))
                .usingRecursiveComparison()
                .ignoringFields("set")
                .isEqualTo(full);
        assertThat(full.withSet(run).set()).isEqualTo(run);
        assertThat(full.withRoles(roles))
                .usingRecursiveComparison()
                .ignoringFields("roles")
                .isEqualTo(full);
        assertThat(full.withRoles(roles).roles()).isEqualTo(roles);
    }

    @Test
    void anEmptyBuilderMakesNullsZerosAndEmptyCollections() {
        Manifest empty = Manifest.builder().build();
        assertThat(empty)
                .isEqualTo(new Manifest(
                        0, null, null, null, null, null, null, null, 0, null, null, null, 0, null, null, null, null,
                        null, null, null, null, null));
        assertThat(empty.tags()).isEqualTo(Map.of());
        assertThat(empty.tables()).isEqualTo(List.of());
    }
}
