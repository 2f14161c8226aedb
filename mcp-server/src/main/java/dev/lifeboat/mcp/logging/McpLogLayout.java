package dev.lifeboat.mcp.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.lifeboat.core.base.Redactor;
import dev.lifeboat.core.secret.RedactingPatternLayout;
import java.util.regex.Pattern;

/**
 * The server's log layout: the core's redacting layout (every line, stack traces included, goes
 * through the global {@link Redactor}), and MCP session ids masked too: they act as credentials for
 * an HTTP session, and the SDK logs them at several levels.
 */
public class McpLogLayout extends RedactingPatternLayout {
    private static final Pattern UUID =
            Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern SESSION_PARAM = Pattern.compile("(?i)(sessionId=)[^&\\s\"]+");

    @Override
    public String doLayout(ILoggingEvent event) {
        return mask(super.doLayout(event));
    }

    static String mask(String line) {
        String out = SESSION_PARAM.matcher(line).replaceAll("$1" + Redactor.MASK);
        return UUID.matcher(out).replaceAll(Redactor.MASK);
    }
}
