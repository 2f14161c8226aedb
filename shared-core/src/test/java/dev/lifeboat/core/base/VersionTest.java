package dev.lifeboat.core.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The version every manifest, audit line and `--version` reports is the build's, not "unknown". */
class VersionTest {
    @Test
    void theVersionIsTheBuildsOwn() {
        assertThat(Version.get()).isNotEqualTo("unknown").matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
