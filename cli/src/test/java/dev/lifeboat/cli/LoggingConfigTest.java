package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import dev.lifeboat.core.secret.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The shipped logback.xml: parses cleanly, logs to stderr only, and every line is redacted. */
class LoggingConfigTest {

    @Test
    void logLinesGoToStderrOnlyAndAreRedacted() throws JoranException {
        String canary = "Canary-log-" + System.nanoTime();
        Redactor.global().register(canary);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            // the test classpath also holds the core's logback-test.xml: load the shipped file explicitly
            URL shipped = Main.class.getResource("/logback.xml");
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(shipped);
            assertThat(new StatusUtil(context).getHighestLevel(0)).isLessThan(Status.WARN);

            Logger log = context.getLogger("dev.lifeboat.test");
            log.info("not shown by default");
            log.warn("connecting with {} and password=hunter22", canary);
        } finally {
            context.stop();
            System.setOut(realOut);
            System.setErr(realErr);
        }
        String logged = err.toString(StandardCharsets.UTF_8);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(logged).contains("WARN", "connecting with " + Redactor.MASK, "password=" + Redactor.MASK);
        assertThat(logged).doesNotContain(canary, "hunter22", "not shown");
    }
}
