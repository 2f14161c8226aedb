package dev.lifeboat.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.lifeboat.mcp.McpLogLayout;
import dev.lifeboat.mcp.StderrStatusListener;
import org.slf4j.Logger;

/**
 * The CLI's logging, set up in code (found by logback through {@code META-INF/services}) instead of a
 * {@code logback.xml}: parsing XML through Joran loaded ~600 classes and cost ~0.2-0.4 s of every
 * command that logs. Same setup as the XML was: stderr only (stdout carries results, JSON documents
 * and JSON-RPC under {@code lifeboat mcp serve}), every line through the redacting, session-masking
 * layout, WARN by default ({@code --verbose} raises it, see {@link Logging}). A {@code
 * -Dlogback.configurationFile} given by hand, or a {@code logback-test.xml} on the class path, still
 * wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            // a file given by hand, or a test's own setup: logback's usual order applies
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, PATTERN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets {@code context} up as the CLI logs: stderr only, redacted, WARN and up. */
    static void configure(LoggerContext context, String pattern) {
        // logback's own warnings (a broken setup) to stderr too, never to stdout
        StderrStatusListener listener = new StderrStatusListener();
        listener.setContext(context);
        context.getStatusManager().add(listener);

        McpLogLayout layout = new McpLogLayout();
        layout.setContext(context);
        layout.setPattern(pattern);
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
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
    }
}
