package dev.lifeboat.core.secret;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A logback pattern layout whose every line, message and stack trace alike, passes through
 * {@link Redactor#global()}: third-party libraries (the AWS SDK's wire and request logs, HTTP
 * clients) log headers and URLs we do not control, so redaction happens where the line is made.
 */
public class RedactingPatternLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
        return Redactor.global().redact(super.doLayout(event));
    }
}
