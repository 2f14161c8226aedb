package dev.lifeboat.core.base;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Lifeboat's own version, as the build stamped it. */
public final class Version {
    private static final String VALUE = load();

    private Version() {}

    public static String get() {
        return VALUE;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
