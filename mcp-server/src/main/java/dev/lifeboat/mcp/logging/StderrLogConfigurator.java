package dev.lifeboat.mcp.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.lifeboat.core.base.Timeline;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logging set up in code, found by logback through {@link java.util.ServiceLoader}: every line to
 * stderr (stdout carries results, JSON documents and JSON-RPC), through {@link McpLogLayout} (the
 * {@code Redactor}, and MCP session ids masked), and logback's own warnings to stderr too.
 *
 * <p>Why code and not logback.xml: parsing the XML loads an XML parser and logback's Joran machinery,
 * about 0.2 s of every start (a fifth of the MCP server's start-up to its first answer). When a test
 * classpath holds a {@code logback-test.xml}, or {@code -Dlogback.configurationFile} names a file,
 * this configurator steps aside and logback reads that file as usual.
 */
public abstract class StderrLogConfigurator extends ContextAwareBase implements Configurator {

    /** The pattern of one line. */
    protected abstract String pattern();

    /** The root logger's level. */
    protected abstract Level rootLevel();

    /** Levels of particular loggers (chatty libraries). */
    protected Map<String, Level> levels() {
        return Map.of();
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || getClass().getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.NEUTRAL;
        }
        install(context);
        Timeline.mark("logging configured (first logger asked for)");
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets {@code context} up: one redacting stderr appender on the root logger, and the levels. */
    public void install(LoggerContext context) {
        // without a listener logback prints its own problems to stdout
        StderrStatusListener listener = new StderrStatusListener();
        listener.setContext(context);
        context.getStatusManager().add(listener);

        PatternLayout layout = new McpLogLayout();
        layout.setContext(context);
        layout.setPattern(pattern());
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel());
        root.addAppender(stderr);
        levels().forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    /** A level from an environment variable, or the default when it is unset or not a level. */
    protected static Level fromEnvironment(String variable, Level defaultLevel) {
        return Level.toLevel(System.getenv(variable), defaultLevel);
    }
}
