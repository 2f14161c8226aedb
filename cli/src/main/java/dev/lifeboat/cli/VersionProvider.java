package dev.lifeboat.cli;

import dev.lifeboat.core.base.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code lifeboat --version}: the build's version, the one written into every manifest. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "lifeboat " + Version.get(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
