package dev.lifeboat.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the core free of front-end and cloud libraries outside the adapters that need them. */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.lifeboat.core");

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
