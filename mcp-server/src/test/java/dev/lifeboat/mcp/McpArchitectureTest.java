package dev.lifeboat.mcp;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The MCP server's shape: entry points at the root over transport, auth, settings, logging and tool;
 * tools that know nothing of transports; and a core reached only through its facade and the records
 * of its use cases, never through its machinery.
 */
class McpArchitectureTest {
    private static final String ROOT = "dev.lifeboat.mcp";

    private static final JavaClasses MCP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** The engine's records and enums: what a server or table looks like, never how to dump one. */
    private static final DescribedPredicate<JavaClass> ENGINE_VALUES =
            DescribedPredicate.describe("value records of dev.lifeboat.core.engine", McpArchitectureTest::engineValue);

    /**
     * What of the core this module may use: the facade, the use cases' request/plan/result records,
     * and the value types those records are made of. Why each of the others is allowed:
     * <ul>
     *   <li>{@code config}: the runner loads lifeboat.yaml ({@code ConfigLoader}) and list_databases
     *       shows what is configured;
     *   <li>{@code catalog}: backups are shown as their manifest records ({@code BackupRecord}, {@code
     *       BackupId});
     *   <li>{@code confirm}: the confirmation a destructive plan carries;
     *   <li>{@code compress}: the compression a create_backup argument names;
     *   <li>{@code secret}: the redacting log layout;
     *   <li>{@code base}: errors, redaction, operation context, progress and cancel, versions;
     *   <li>{@code engine}: its value records only ({@code ServerInfo}, {@code TableSummary}: what
     *       results are made of), see {@link #ENGINE_VALUES}; none is named by this module today.
     * </ul>
     * The use-case packages are allowed whole, not record by record: the faces call the facade, and
     * the records they read ({@code BackupCopier.CopyResult}, {@code Inventory}) live beside the use
     * cases that make them.
     */
    private static final DescribedPredicate<JavaClass> ALLOWED_CORE = resideInAnyPackage(
                    "dev.lifeboat.core",
                    "dev.lifeboat.core.backup",
                    "dev.lifeboat.core.verify",
                    "dev.lifeboat.core.restore",
                    "dev.lifeboat.core.manage",
                    "dev.lifeboat.core.health",
                    "dev.lifeboat.core.metrics",
                    "dev.lifeboat.core.schedule",
                    "dev.lifeboat.core.catalog",
                    "dev.lifeboat.core.confirm",
                    "dev.lifeboat.core.config",
                    "dev.lifeboat.core.compress",
                    "dev.lifeboat.core.secret",
                    "dev.lifeboat.core.base")
            .or(ENGINE_VALUES)
            .as("the facade, the use cases' records and their value types");

    private static boolean engineValue(JavaClass c) {
        return c.getPackageName().equals("dev.lifeboat.core.engine") && (c.isRecord() || c.isEnum());
    }

    @Test
    void theRulesSeeEveryPackage() {
        Set<String> packages = MCP.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        assertThat(packages)
                .contains(
                        ROOT,
                        ROOT + ".transport",
                        ROOT + ".auth",
                        ROOT + ".settings",
                        ROOT + ".logging",
                        ROOT + ".tool");
    }

    @Test
    void toolsKnowNothingOfTransports() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".tool..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".transport..")
                .check(MCP);
    }

    @Test
    void theRootIsTheTopNothingBelowUsesIt() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".*..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT)
                .check(MCP);
    }

    @Test
    void theMcpPackagesAreFreeOfCycles() {
        slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().check(MCP);
    }

    @Test
    void theCoreIsReachedThroughItsFacadeAndItsUseCasesRecordsOnly() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + "..")
                .should()
                .dependOnClassesThat(resideInAPackage("dev.lifeboat.core..").and(DescribedPredicate.not(ALLOWED_CORE)))
                .check(MCP);
    }

    @Test
    void neverTheCoresMachinery() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.lifeboat.core.context..",
                        "dev.lifeboat.core.archive..",
                        "dev.lifeboat.core.store..",
                        "dev.lifeboat.core.engine.postgres..",
                        "dev.lifeboat.core.source..",
                        "dev.lifeboat.core.crypto..",
                        "dev.lifeboat.core.audit..")
                .orShould()
                .dependOnClassesThat(
                        resideInAPackage("dev.lifeboat.core.engine").and(DescribedPredicate.not(ENGINE_VALUES)))
                .check(MCP);
    }

    /** One slice per package under the root (sub-packages included), and the root itself. */
    private static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = c.getPackageName();
            if (p.equals(ROOT)) {
                return SliceIdentifier.of("(root)");
            }
            if (p.startsWith(ROOT + ".")) {
                return SliceIdentifier.of(p.substring(ROOT.length() + 1).split("\\.")[0]);
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the packages of dev.lifeboat.mcp";
        }
    };
}
