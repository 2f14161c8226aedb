package dev.lifeboat.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.lifeboat.core.CoreClasses.CORE;

import org.junit.jupiter.api.Test;

/**
 * Keeps the core free of front-end and cloud libraries outside the adapters that need them, and the
 * config package below every package that reads a config.
 */
class ArchitectureTest {
    @Test
    void coreDoesNotKnowItsFrontEnds() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "picocli..", "io.modelcontextprotocol..", "dev.lifeboat.cli..", "dev.lifeboat.mcp..")
                .check(CORE);
    }

    @Test
    void onlyTheS3AdapterUsesTheAwsSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeboat.core.store.s3..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..")
                .check(CORE);
    }

    @Test
    void onlyTheGcsAdapterUsesTheGoogleCloudSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeboat.core.store.gcs..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.google.cloud..", "com.google.auth..")
                .check(CORE);
    }

    @Test
    void onlyTheMetricsPackageUsesThePrometheusClient() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeboat.core.metrics..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.prometheus..")
                .check(CORE);
    }

    @Test
    void onlyTheMailAdapterUsesJakartaMail() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeboat.core.notify.mail..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.mail..", "org.eclipse.angus..")
                .check(CORE);
    }

    @Test
    void onlyTheCompressPackageUsesZstdJni() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeboat.core.compress..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.github.luben..")
                .check(CORE);
    }

    @Test
    void onlyTheCronPackageUsesCronUtils() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeboat.core.cron..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.cronutils..")
                .check(CORE);
    }

    /**
     * The packages whose values a config holds or checks while it is read (compression methods,
     * retention policies, age recipients, exclude patterns, cron expressions): leaves that import only base (and pipe),
     * so config stays below everything that reads a config.
     */
    private static final String[] CONFIG_VALUES = {
        "dev.lifeboat.core.compress..",
        "dev.lifeboat.core.retention..",
        "dev.lifeboat.core.crypto..",
        "dev.lifeboat.core.source.files..",
        "dev.lifeboat.core.cron.."
    };

    @Test
    void configDependsOnlyOnBaseAndTheValuesItReads() {
        classes()
                .that()
                .resideInAPackage("dev.lifeboat.core.config..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(concat(
                        new String[] {
                            "dev.lifeboat.core.config..", "dev.lifeboat.core.base..", "java..", "tools.jackson.."
                        },
                        CONFIG_VALUES))
                .check(CORE);
    }

    @Test
    void whatConfigReadsWithDoesNotDependOnConfig() {
        noClasses()
                .that()
                .resideInAnyPackage(CONFIG_VALUES)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.lifeboat.core.config..")
                .check(CORE);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void onlyTheEngineRunsProcessesOrJdbc() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.lifeboat.core.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "org.postgresql..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName(ProcessBuilder.class.getName())
                .check(CORE);
    }
}
