package dev.lifeboat.core;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static dev.lifeboat.core.CoreClasses.CORE;

import org.junit.jupiter.api.Test;

/**
 * The core's own shape (buckpal's DependencyRuleTests): dependencies point down only, from the facade
 * through the use cases and the context they share to the ports, adapters and values, and to base,
 * which everything uses. A package cycle or an upward reach fails the build.
 */
class DependencyRulesTest {
    @Test
    void theCoresPackagesAreFreeOfCycles() {
        slices().matching("dev.lifeboat.core.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void dependenciesPointFromTheFacadeThroughTheUseCasesToThePortsAndBase() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Facade")
                .definedBy("dev.lifeboat.core")
                .layer("UseCases")
                .definedBy(
                        "dev.lifeboat.core.backup..",
                        "dev.lifeboat.core.verify..",
                        "dev.lifeboat.core.restore..",
                        "dev.lifeboat.core.manage..",
                        "dev.lifeboat.core.health..",
                        "dev.lifeboat.core.metrics..",
                        "dev.lifeboat.core.notify..",
                        "dev.lifeboat.core.schedule..")
                .layer("Context")
                .definedBy("dev.lifeboat.core.context..")
                .layer("Archive")
                .definedBy("dev.lifeboat.core.archive..")
                .layer("Ports")
                .definedBy(
                        "dev.lifeboat.core.audit..",
                        "dev.lifeboat.core.catalog..",
                        "dev.lifeboat.core.compress..",
                        "dev.lifeboat.core.config..",
                        "dev.lifeboat.core.confirm..",
                        "dev.lifeboat.core.cron..",
                        "dev.lifeboat.core.crypto..",
                        "dev.lifeboat.core.engine..",
                        "dev.lifeboat.core.pipe..",
                        "dev.lifeboat.core.retention..",
                        "dev.lifeboat.core.secret..",
                        "dev.lifeboat.core.source..",
                        "dev.lifeboat.core.store..")
                .layer("Base")
                .definedBy("dev.lifeboat.core.base..")
                .whereLayer("Facade")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("UseCases")
                .mayOnlyBeAccessedByLayers("Facade", "UseCases")
                .whereLayer("Context")
                .mayOnlyBeAccessedByLayers("Facade", "UseCases", "Archive")
                .whereLayer("Archive")
                .mayOnlyBeAccessedByLayers("UseCases")
                .whereLayer("Ports")
                .mayOnlyBeAccessedByLayers("Facade", "UseCases", "Context", "Archive", "Ports")
                .check(CORE);
    }

    @Test
    void baseDependsOnNothingElseOfTheCore() {
        noClasses()
                .that()
                .resideInAPackage("dev.lifeboat.core.base..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage("dev.lifeboat.core..").and(resideOutsideOfPackage("dev.lifeboat.core.base..")))
                .check(CORE);
    }
}
