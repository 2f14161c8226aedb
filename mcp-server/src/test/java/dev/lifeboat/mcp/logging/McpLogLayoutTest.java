package dev.lifeboat.mcp.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.lifeboat.core.base.Redactor;
import org.junit.jupiter.api.Test;

class McpLogLayoutTest {
    @Test
    void sessionIdsAndSecretsNeverReachALogLine() {
        Redactor.global().register("canary-layout-pw");
        LoggerContext context = new LoggerContext();
        McpLogLayout layout = new McpLogLayout();
        layout.setContext(context);
        layout.setPattern("%msg");
        layout.start();
        LoggingEvent event = new LoggingEvent(
                "x",
                context.getLogger("io.modelcontextprotocol.server"),
                Level.WARN,
                "Failed to send message to session {} via /message?sessionId=abc123&x=1 with password canary-layout-pw",
                null,
                new Object[] {"4f6c1c2e-9a0b-4c55-8d7e-0123456789ab"});
        String line = layout.doLayout(event);
        assertThat(line)
                .doesNotContain("4f6c1c2e-9a0b-4c55-8d7e-0123456789ab")
                .doesNotContain("abc123")
                .doesNotContain("canary-layout-pw")
                .contains("Failed to send message to session");
    }
}
