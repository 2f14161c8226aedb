package dev.lifeboat.core.secret;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.lifeboat.core.base.Redactor;

/**
 * A logback layout that passes every formatted line (message, arguments, MDC, stack traces) through
 * the {@link Redactor}, so no logger anywhere (ours, a driver's, an SDK's wire log) can print a secret.
 * Use it with {@code LayoutWrappingEncoder} (the faces install it in code, see the MCP module).
 */
public class RedactingPatternLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
        return Redactor.global().redact(super.doLayout(event));
    }
}
