package dev.lifeboat.core.secret;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;

/**
 * The encoder every Lifeboat appender should use: {@code <encoder
 * class="dev.lifeboat.core.secret.RedactingPatternLayoutEncoder"><pattern>...</pattern></encoder>}.
 * Same as logback's {@code PatternLayoutEncoder}, with a {@link RedactingPatternLayout}.
 */
public class RedactingPatternLayoutEncoder extends PatternLayoutEncoder {
    @Override
    public void start() {
        super.start();
        RedactingPatternLayout redacting = new RedactingPatternLayout();
        redacting.setContext(context);
        redacting.setPattern(getPattern());
        redacting.setOutputPatternAsHeader(outputPatternAsHeader);
        redacting.start();
        this.layout = redacting;
    }
}
