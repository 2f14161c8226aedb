package dev.lifeboat.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** The log level knob behind {@code --verbose}; logs always go to stderr (see logback.xml). */
public final class Logging {
    private Logging() {}

    public static void verbose() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.INFO);
        }
        if (LoggerFactory.getLogger("dev.lifeboat") instanceof Logger ours) {
            ours.setLevel(Level.DEBUG);
        }
    }
}
