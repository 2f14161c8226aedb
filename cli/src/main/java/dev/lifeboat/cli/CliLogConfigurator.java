package dev.lifeboat.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import dev.lifeboat.mcp.logging.StderrLogConfigurator;

/**
 * The CLI's logging: warnings and errors only, on stderr ({@code --verbose} lowers the level, see
 * {@link Logging}). Ranked above the MCP server's configurator, whose jar is inside the CLI's.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public class CliLogConfigurator extends StderrLogConfigurator {
    @Override
    protected String pattern() {
        return "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";
    }

    @Override
    protected Level rootLevel() {
        return Level.WARN;
    }

    /** The scheduler inside {@code mcp serve --schedules} says what it runs, as {@code schedule run} prints it. */
    @Override
    protected java.util.Map<String, Level> levels() {
        return java.util.Map.of("dev.lifeboat.mcp.schedule", Level.INFO);
    }
}
