package dev.lifeboat.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** The log level knob behind {@code --verbose}; logs always go to stderr (see {@link CliLogConfigurator}). */
public final class Logging {
    private static volatile Thread starting;

    private Logging() {}

    /**
     * Starts logback on a thread of its own. Its start (~50-80 ms: logback's classes, the configurator
     * found through the service loader) would otherwise be paid on the main thread at the first logger
     * a command asks for; begun at {@code main()}, it runs on the second core while picocli builds the
     * command's model, which nothing else does.
     */
    public static void startInBackground() {
        Thread t = new Thread(LoggerFactory::getILoggerFactory, "lifeboat-logging");
        t.setDaemon(true);
        starting = t;
        t.start();
    }

    /**
     * Waits for {@link #startInBackground}'s thread. Called before a command runs: a logger asked for
     * while logback is still starting would be one of SLF4J's stand-ins, which {@link #verbose} cannot
     * set a level on.
     */
    public static void awaitStarted() {
        Thread t = starting;
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        starting = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    public static void verbose() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.INFO);
        }
        if (LoggerFactory.getLogger("dev.lifeboat") instanceof Logger ours) {
            ours.setLevel(Level.DEBUG);
        }
    }
}
