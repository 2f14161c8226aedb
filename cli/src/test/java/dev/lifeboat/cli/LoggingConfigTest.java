package dev.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import dev.lifeboat.core.base.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The shipped logging set-up: found by logback, logs to stderr only, and every line is redacted. */
class LoggingConfigTest {

    @Test
    void logbackFindsTheCliConfiguratorFirst() {
        var found = java.util.ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(java.util.ServiceLoader.Provider::type)
                .toList();
        assertThat(found).contains(CliLogConfigurator.class, dev.lifeboat.mcp.logging.McpLogConfigurator.class);
        int rank = CliLogConfigurator.class
                .getAnnotation(ch.qos.logback.classic.spi.ConfiguratorRank.class)
                .value();
        assertThat(found).allSatisfy(t -> {
            var r = t.getAnnotation(ch.qos.logback.classic.spi.ConfiguratorRank.class);
            assertThat(t == CliLogConfigurator.class || r == null || r.value() < rank)
                    .as(t.getName())
                    .isTrue();
        });
    }

    @Test
    void logLinesGoToStderrOnlyAndAreRedacted() {
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
            // the test classpath also holds the core's logback-test.xml: install the shipped set-up explicitly
            new CliLogConfigurator().install(context);
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
