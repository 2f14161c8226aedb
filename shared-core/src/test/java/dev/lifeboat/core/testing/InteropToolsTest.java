package dev.lifeboat.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class InteropToolsTest {
    private static final String NOWHERE = "lifeboat-no-such-tool-5e1d";

    @Test
    void aProgramOnPathIsFoundAndLetsTheTestRun() {
        assertThat(InteropTools.onPath("sh"))
                .hasValueSatisfying(p -> assertThat(p).isExecutable());
        InteropTools.assumeInstalled("sh", "dash");
    }

    @Test
    void aMissingProgramSkipsTheTestNamingThePackageOrFailsItWhenInteropIsRequired() {
        assertThat(InteropTools.onPath(NOWHERE)).isEmpty();
        if (InteropTools.required()) {
            assertThatThrownBy(() -> InteropTools.assumeInstalled(NOWHERE, "some-package"))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining(NOWHERE + " is not on PATH")
                    .hasMessageContaining("Debian package some-package")
                    .hasMessageContaining(InteropTools.REQUIRED_ENV);
        } else {
            assertThatThrownBy(() -> InteropTools.assumeInstalled(NOWHERE, "some-package"))
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining(NOWHERE + " is not on PATH: interop test skipped")
                    .hasMessageContaining("apt-get install some-package")
                    .hasMessageContaining(InteropTools.REQUIRED_ENV + "=1");
        }
    }

    @Test
    void theSystemPropertyMakesInteropRequired() {
        String before = System.getProperty(InteropTools.REQUIRED_PROPERTY);
        try {
            System.setProperty(InteropTools.REQUIRED_PROPERTY, "true");
            assertThat(InteropTools.required()).isTrue();
            assertThatThrownBy(() -> InteropTools.assumeInstalled(NOWHERE, "some-package"))
                    .isInstanceOf(AssertionFailedError.class);
        } finally {
            if (before == null) {
                System.clearProperty(InteropTools.REQUIRED_PROPERTY);
            } else {
                System.setProperty(InteropTools.REQUIRED_PROPERTY, before);
            }
        }
    }
}
