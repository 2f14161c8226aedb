package dev.lifeboat.mcp.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import java.util.Map;

/**
 * The MCP server's logging (lifeboat-mcp): INFO and up ({@code LIFEBOAT_LOG} changes it), the SDK at
 * WARN ({@code LIFEBOAT_MCP_SDK_LOG}), Jetty and Reactor at WARN.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public class McpLogConfigurator extends StderrLogConfigurator {
    @Override
    protected String pattern() {
        return "%d{HH:mm:ss.SSS} %-5level [lifeboat-mcp] %logger{0}: %msg%n";
    }

    @Override
    protected Level rootLevel() {
        return fromEnvironment("LIFEBOAT_LOG", Level.INFO);
    }

    @Override
    protected Map<String, Level> levels() {
        return Map.of(
                "io.modelcontextprotocol", fromEnvironment("LIFEBOAT_MCP_SDK_LOG", Level.WARN),
                "org.eclipse.jetty", Level.WARN,
                "reactor", Level.WARN);
    }
}
