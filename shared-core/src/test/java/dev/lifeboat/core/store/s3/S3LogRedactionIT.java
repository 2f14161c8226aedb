package dev.lifeboat.core.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.lifeboat.core.secret.RedactingPatternLayoutEncoder;
import dev.lifeboat.core.store.BackupStore;
import dev.lifeboat.core.store.BackupStoreContract.RandomStream;
import dev.lifeboat.core.store.BackupStores;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * With the AWS SDK, Netty and Apache HTTP logging at DEBUG, nothing that reaches a log through
 * Lifeboat's encoder carries the secret key, a signature or an Authorization value.
 */
class S3LogRedactionIT {
    private static final List<String> NOISY =
            List.of("software.amazon.awssdk", "io.netty", "org.apache.http", "dev.lifeboat");

    @Test
    void sdkDebugLogsCarryNoSecretsSignaturesOrAuthorizationValues() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream redacted = new ByteArrayOutputStream();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> redacting = appender(ctx, redacted, new RedactingPatternLayoutEncoder());
        OutputStreamAppender<ILoggingEvent> plain = appender(ctx, raw, new PatternLayoutEncoder());
        Map<String, Level> before = new LinkedHashMap<>();
        for (String name : NOISY) {
            Logger l = ctx.getLogger(name);
            before.put(name, l.getLevel());
            l.setLevel(Level.DEBUG);
            // only our two appenders: megabytes of wire hex dumps need not reach the console
            l.setAdditive(false);
            l.addAppender(redacting);
            l.addAppender(plain);
        }
        try (S3ProxyServer server = S3ProxyServer.start()) {
            String bucket = server.newBucket();
            try (BackupStore s = BackupStores.open(
                    S3ProxyServer.config(server.endpoint(), bucket, "lb", Map.of()), S3ProxyServer.ENV)) {
                s.put("app/id/manifest.json", new ByteArrayInputStream("{}".getBytes()), true);
                // a multipart upload too, without Netty's hex dump of every part (minutes of logging)
                Logger wire = ctx.getLogger("io.netty.handler.logging");
                wire.setLevel(Level.INFO);
                s.put("app/id/dump", new RandomStream((5L << 20) + 1, 3, null), true);
                wire.setLevel(null);
                try (InputStream in = s.get("app/id/dump")) {
                    in.readAllBytes();
                }
                s.list("app/");
                s.delete("app/id/dump");
            }
            Map<String, String> wrong = new HashMap<>(S3ProxyServer.ENV);
            wrong.put("LB_TEST_S3_SECRET", "canary-wrong-secret-99aa88bb");
            try (BackupStore s =
                    BackupStores.open(S3ProxyServer.config(server.endpoint(), bucket, "lb", Map.of()), wrong)) {
                assertThatThrownBy(() -> s.put("app/x/dump", new ByteArrayInputStream(new byte[3]), false));
            }
        } finally {
            for (String name : NOISY) {
                Logger l = ctx.getLogger(name);
                l.setLevel(before.get(name));
                l.setAdditive(true);
                l.detachAppender(redacting);
                l.detachAppender(plain);
            }
            redacting.stop();
            plain.stop();
        }
        String log = redacted.toString(StandardCharsets.UTF_8);
        String unredacted = raw.toString(StandardCharsets.UTF_8);
        // the test means something only if the SDK did log its requests
        for (String expected : List.of("Sending Request", "partNumber", "uploadId", "Authorization: ")) {
            assertThat(unredacted.contains(expected))
                    .as("the raw log has %s", expected)
                    .isTrue();
        }
        assertThat(leaks(unredacted)).as("the test plants what it looks for").isNotEmpty();
        assertThat(leaks(log)).isEmpty();
        assertThat(log.contains("Authorization: ****") && log.contains("Signature=****"))
                .as("masked values are still shown as masked")
                .isTrue();
    }

    /** Lines that carry a secret, or a signature or Authorization value that is not masked. */
    private static List<String> leaks(String log) {
        List<Pattern> unmasked = List.of(
                Pattern.compile("(?i)X-Amz-Signature[=:]\\s*(?!\\*\\*\\*\\*)"),
                Pattern.compile("Signature=(?!\\*\\*\\*\\*)[0-9a-fA-F]"),
                Pattern.compile("(?i)Authorization[=:]\\s*\\[?(?!\\*\\*\\*\\*)\\S"));
        return log.lines()
                .filter(line -> line.contains(S3ProxyServer.SECRET_KEY)
                        || line.contains("canary-wrong-secret-99aa88bb")
                        || unmasked.stream().anyMatch(p -> p.matcher(line).find()))
                .map(line -> line.length() > 300 ? line.substring(0, 300) : line)
                .toList();
    }

    private static OutputStreamAppender<ILoggingEvent> appender(
            LoggerContext ctx, ByteArrayOutputStream sink, PatternLayoutEncoder encoder) {
        encoder.setContext(ctx);
        encoder.setPattern("%level %logger - %msg%n%ex");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> a = new OutputStreamAppender<>();
        a.setContext(ctx);
        a.setEncoder(encoder);
        a.setOutputStream(sink);
        a.start();
        return a;
    }
}
